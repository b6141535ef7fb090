using System.Net.Http.Headers;
using Bff.Bench.Servers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Yarp.ReverseProxy.Transforms;

namespace Bff.Bench.Peer;

/// <summary>
/// The bench's peer: what a team builds in ASP.NET Core instead of a BFF library, in the pattern of
/// Microsoft's BFF sample (BlazorWebAppOidcBff), written here from its description. The cookie
/// handler with <c>SaveTokens</c> (so the access, refresh and ID tokens travel in the browser's
/// chunked, Data Protection encrypted cookie), OIDC code flow with PKCE against the same DevIdp, a
/// refresh in <c>OnValidatePrincipal</c> when the access token is within the skew of expiring
/// (<see cref="PeerTokenRefresher"/>), and YARP's <c>MapForwarder</c> adding the access token.
/// </summary>
/// <remarks>
/// <c>dotnet Bff.Bench.Peer.dll --urls http://127.0.0.1:0 --Peer:Authority ... --Peer:Downstream ...
/// --Peer:KeysPath ...</c>. Endpoints: <c>/login?returnUrl=</c> (the challenge), <c>/app</c>, the claims
/// endpoint <c>/user</c> (a JSON array of <c>{type, value}</c>, as <c>/bff/user</c> answers), the
/// proxied <c>/api/remote/{**rest}</c>, and <c>/health/ready</c>. Unauthenticated requests get 401
/// (never a redirect), so that a load generator cannot count a lost cookie as success.
/// </remarks>
internal static class PeerHost
{
    private const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = builder.Configuration.GetSection("Peer");
        var authority = settings["Authority"] ?? throw new InvalidOperationException("Peer:Authority is required.");
        var downstream = settings["Downstream"] ?? throw new InvalidOperationException("Peer:Downstream is required.");
        var keysPath = settings["KeysPath"] ?? throw new InvalidOperationException("Peer:KeysPath is required.");

        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PeerTokenRefresher>();
        builder.Services.AddAuthentication(CookieScheme)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "__Host-peer";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                cookie.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<PeerTokenRefresher>().ValidateOrRefreshAsync(context, OidcScheme);
            })
            .AddOpenIdConnect(OidcScheme, oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.Authority = authority;
                oidc.RequireHttpsMetadata = false;
                oidc.ClientId = settings["ClientId"] ?? "bff";
                oidc.ClientSecret = settings["ClientSecret"] ?? "bff-dev-secret";
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.ResponseMode = OpenIdConnectResponseMode.FormPost;
                oidc.UsePkce = true;
                oidc.MapInboundClaims = false;
                oidc.SaveTokens = true;
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                oidc.Scope.Add("profile");
                oidc.Scope.Add("email");
                oidc.TokenValidationParameters.NameClaimType = "preferred_username";
            });
        builder.Services.AddAuthorization();
        builder.Services.AddHttpForwarder();

        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/health/ready", () => "ready");
        app.MapGet("/login", (string? returnUrl) => TypedResults.Challenge(
            new AuthenticationProperties { RedirectUri = returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] is not '/' and not '\\' ? returnUrl : "/" },
            [OidcScheme]));
        app.MapGet("/app", () => "signed in").RequireAuthorization();
        app.MapGet("/user", (HttpContext context) => TypedResults.Ok(context.User.Claims.Select(c => new ClaimView(c.Type, c.Value))))
            .RequireAuthorization();
        app.MapForwarder("/api/remote/{**rest}", downstream, transforms =>
        {
            transforms.AddPathRemovePrefix("/api/remote");
            transforms.AddRequestTransform(async transform =>
            {
                var accessToken = await transform.HttpContext.GetTokenAsync("access_token");
                transform.ProxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            });
        }).RequireAuthorization();

        await app.StartAsync();
        ServerCommandLoop.AnnounceListening(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await ServerCommandLoop.RunAsync((_, _) => Task.FromResult<string?>(null));
        await app.StopAsync();
        return 0;
    }

    private sealed record ClaimView(string Type, string Value);
}
