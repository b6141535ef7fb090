using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Login.Internal;

/// <summary>Configures the BFF's OpenID Connect handler from <see cref="BffOidcOptions"/>.</summary>
internal sealed class ConfigureOpenIdConnectOptions(IOptions<BffOidcOptions> oidcOptions) :
    IConfigureNamedOptions<OpenIdConnectOptions>, IPostConfigureOptions<OpenIdConnectOptions>
{
    private static readonly string[] BaseScopes = ["openid", "profile", "email"];

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != BffAuthenticationDefaults.OpenIdConnectScheme)
        {
            return;
        }

        var oidc = oidcOptions.Value;
        options.Authority = oidc.Authority;
        if (oidc.MetadataAddress is not null)
        {
            options.MetadataAddress = oidc.MetadataAddress.AbsoluteUri;
        }

        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata ?? true;
        options.ClientId = oidc.ClientId;
        options.ClientSecret = oidc.ClientSecret;
        options.SignInScheme = BffAuthenticationDefaults.CookieScheme;
        options.CallbackPath = oidc.CallbackPath;
        options.SignedOutCallbackPath = oidc.SignedOutCallbackPath;

        // Important: the handler's front-channel logout endpoint (/signout-oidc by default) is switched
        // off. It signs the cookie out on a GET or POST carrying the session's sid and iss (or nothing at
        // all when the ticket has neither), which deletes the server-side session but never revokes its
        // refresh token, and it accepts a browser navigation that any site can start. The client is
        // registered for back-channel logout (frontchannelLogout false in realm/), whose signed logout
        // token /bff/backchannel validates and which ends sessions through IUserSessionService. An empty
        // path never matches a request.
        options.RemoteSignOutPath = PathString.Empty;

        // Authorization code flow with PKCE (S256, the handler's only method) as a confidential
        // client; form_post keeps the code out of URLs, history and Referer headers.
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.FormPost;
        options.UsePkce = true;

        // Keep the provider's claim names (sub, preferred_username, ...) instead of WS-* URIs.
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = Claims.BffClaimTypes.Name;
        options.TokenValidationParameters.RoleClaimType = Claims.BffClaimTypes.Role;

        // Important: only the configured asymmetric algorithms (RS256 by default). The validator
        // refuses HS* and none at start-up; this list makes the token handler refuse them too.
        options.TokenValidationParameters.ValidAlgorithms = [.. oidc.SignAlgorithms];

        // The handler puts the tokens into the properties; the ticket store moves them into the
        // server-side session and out of the ticket before anything is persisted.
        // The correlation and nonce cookies of a login are sent to every path (instead of only to the
        // callback), so that /bff/login sees the pending ones and drops the oldest (PendingLoginStates).
        // They keep the handler's other defaults (SameSite=None; Secure, 15 minutes).
        options.CorrelationCookie.Path = "/";
        options.NonceCookie.Path = "/";

        options.SaveTokens = true;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.DisableTelemetry = true;

        // The ID token's acr (Keycloak's Level of Authentication) stays on the session: step-up compares it.
        options.ClaimActions.Remove("acr");

        options.Scope.Clear();
        foreach (var scope in BaseScopes.Concat(oidc.ExtraScopes).Distinct(StringComparer.Ordinal))
        {
            options.Scope.Add(scope);
        }

        options.EventsType = typeof(BffOpenIdConnectEvents);
    }

    // Runs after the handler's own post-configuration, which has created the back-channel client
    // and the metadata address this needs.
    public void PostConfigure(string? name, OpenIdConnectOptions options)
    {
        var jwksUri = oidcOptions.Value.JwksUri;
        if (name != BffAuthenticationDefaults.OpenIdConnectScheme || jwksUri is null || options.MetadataAddress is null)
        {
            return;
        }

        options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
            options.MetadataAddress,
            new JwksOverrideConfigurationRetriever(jwksUri),
            new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata })
        {
            RefreshInterval = options.RefreshInterval,
            AutomaticRefreshInterval = options.AutomaticRefreshInterval,
        };
    }
}
