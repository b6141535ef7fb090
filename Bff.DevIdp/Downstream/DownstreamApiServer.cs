using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.Tokens;

namespace Bff.DevIdp.Downstream;

/// <summary>
/// A small downstream API for tests, E2E and the embedded development default: it validates the
/// bearer token against the realm's JWKS (RS256, issuer, audience, lifetime) and answers
/// <c>GET /whoami</c> with the caller's <c>preferred_username</c>, roles, audience and scopes, plus
/// what it received (header names only, never their values), so tests can prove what the BFF's
/// proxy forwards.
/// </summary>
public sealed class DownstreamApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int failureStatusCode;

    private DownstreamApiServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The API's base address, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// While set, every request is answered with this status and a short text, before the token is
    /// looked at, as an API in trouble would answer; <see langword="null"/> (the default) serves normally.
    /// Lets tests show how callers behave when the API fails.
    /// </summary>
    public int? FailureStatusCode
    {
        get => Volatile.Read(ref failureStatusCode) is var code and > 0 ? code : null;
        set => Volatile.Write(ref failureStatusCode, value ?? 0);
    }

    /// <summary>Starts the API on real loopback HTTP.</summary>
    /// <param name="options">Its settings; <see cref="DownstreamApiServerOptions.Authority"/> is required.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<DownstreamApiServer> StartAsync(DownstreamApiServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var authority = options.Authority ?? throw new ArgumentException("DownstreamApiServerOptions.Authority is required.", nameof(options));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.Authority = authority.AbsoluteUri.TrimEnd('/');
            jwt.RequireHttpsMetadata = !authority.IsLoopback;
            jwt.Audience = options.Audience;
            jwt.MapInboundClaims = false;
            jwt.SaveToken = true;
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
            jwt.TokenValidationParameters.ClockSkew = options.ClockSkew;
            jwt.TokenValidationParameters.NameClaimType = "preferred_username";
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        DownstreamApiServer? self = null;
        app.Use(async (context, next) =>
        {
            if (self?.FailureStatusCode is { } failure)
            {
                context.Response.StatusCode = failure;
                await context.Response.WriteAsync("The downstream test API is failing on purpose.");
                return;
            }

            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (Delegate)WhoAmIAsync).RequireAuthorization();
        app.Map("/echo/{**rest}", (Delegate)WhoAmIAsync).RequireAuthorization();
        app.MapGet("/set-cookie", (HttpContext context) =>
        {
            // Lets tests prove the BFF drops cookies a downstream API tries to set on its origin.
            context.Response.Headers.SetCookie = "downstream=planted; Path=/";
            return Results.Ok(new { planted = true });
        }).RequireAuthorization();

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new DownstreamApiServer(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    /// <summary>Stops the API.</summary>
    /// <param name="cancellationToken">Cancels the graceful stop.</param>
    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task<IResult> WhoAmIAsync(HttpContext context)
    {
        var user = context.User;
        var token = await context.GetTokenAsync("access_token");
        var roles = new List<string>();
        var clientRoles = new List<string>();
        var audience = new List<string>();
        var scopes = new List<string>();
        long? issuedAt = null;
        long? expires = null;
        if (token is not null)
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[1]));
            var root = payload.RootElement;
            roles.AddRange(ReadRoles(root, "realm_access"));
            if (root.TryGetProperty("resource_access", out var resources) && resources.ValueKind == JsonValueKind.Object)
            {
                foreach (var client in resources.EnumerateObject())
                {
                    clientRoles.AddRange(ReadRoles(client.Value).Select(r => $"{client.Name}:{r}"));
                }
            }

            audience.AddRange(ReadStrings(root, "aud"));
            scopes.AddRange(ReadStrings(root, "scope").SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            issuedAt = root.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var i) ? i : null;
            expires = root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var e) ? e : null;
        }

        return Results.Ok(new
        {
            preferred_username = user.FindFirst("preferred_username")?.Value,
            sub = user.FindFirst("sub")?.Value,
            roles,
            client_roles = clientRoles,
            audience,
            scope = scopes,
            token_issued_at = issuedAt,
            token_expires_at = expires,
            // A fingerprint, not the token: lets a test tell two tokens apart without seeing either.
            token_fingerprint = token is null ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))).AsSpan(0, 16).ToString(),
            method = context.Request.Method,
            path = context.Request.Path.Value,
            query = context.Request.QueryString.Value,
            received_headers = context.Request.Headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray(),
        });
    }

    // aud and scope may be one string or an array, depending on the provider.
    private static IEnumerable<string> ReadStrings(JsonElement root, string property) =>
        !root.TryGetProperty(property, out var value) ? []
        : value.ValueKind == JsonValueKind.String ? [value.GetString()!]
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
        : [];

    private static List<string> ReadRoles(JsonElement root, string property) =>
        root.TryGetProperty(property, out var access) ? ReadRoles(access) : [];

    private static List<string> ReadRoles(JsonElement access) =>
        access.ValueKind == JsonValueKind.Object && access.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
            ? roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList()
            : [];
}
