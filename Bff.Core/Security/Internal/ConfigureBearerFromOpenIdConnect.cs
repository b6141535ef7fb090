using Bff.Api.Internal;
using Bff.Tokens.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Security.Internal;

/// <summary>
/// Configures the API's bearer scheme from the login's OpenID Connect options: the same provider
/// (one discovery document and JWKS, shared), the BFF's client id as the required audience, the
/// same accepted algorithms (RS256 unless configured otherwise), the same claim types, and only
/// tokens issued to an allowed client (<see cref="BffBearerClientOptions.AllowedBearerClients"/>).
/// </summary>
internal sealed class ConfigureBearerFromOpenIdConnect(
    IAuthenticationSchemeProvider schemes,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<BffApiOptions> apiOptions) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != BffApiDefaults.BearerScheme)
        {
            return;
        }

        // Options are built synchronously; the scheme provider's in-memory lookup completes at once.
        var oidc = oidcOptions.Get(BffSchemes.OidcScheme(schemes.GetAllSchemesAsync().GetAwaiter().GetResult()));
        options.Authority = oidc.Authority;
        options.MetadataAddress = oidc.MetadataAddress ?? string.Empty;
        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;

        // One configuration manager for login and API: the same JWKS, refreshed on an unknown key id.
        options.ConfigurationManager = oidc.ConfigurationManager;
        options.MapInboundClaims = false;
        options.SaveToken = true;
        options.Audience = oidc.ClientId;

        var login = oidc.TokenValidationParameters;
        var parameters = options.TokenValidationParameters;
        parameters.ValidateIssuer = true;
        parameters.ValidIssuer = login.ValidIssuer;
        parameters.ValidIssuers = login.ValidIssuers;
        parameters.ValidateAudience = true;
        parameters.ValidAudience = oidc.ClientId;
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.RequireSignedTokens = true;
        parameters.ClockSkew = apiOptions.Value.BearerClockSkew;
        parameters.ValidAlgorithms = login.ValidAlgorithms?.Any() == true ? login.ValidAlgorithms : [SecurityAlgorithms.RsaSha256];
        parameters.NameClaimType = string.IsNullOrEmpty(login.NameClaimType) || login.NameClaimType == System.Security.Claims.ClaimsIdentity.DefaultNameClaimType
            ? "preferred_username"
            : login.NameClaimType;
        parameters.RoleClaimType = login.RoleClaimType;

        var allowedClients = apiOptions.Value.Api.AllowedBearerClients.Count > 0
            ? apiOptions.Value.Api.AllowedBearerClients.ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal) { oidc.ClientId ?? "" };

        options.Events ??= new JwtBearerEvents();
        var previous = options.Events.OnTokenValidated;
        options.Events.OnTokenValidated = async context =>
        {
            // Keycloak ID tokens carry aud = client id too; only access tokens may call the API.
            if (context.SecurityToken is JsonWebToken jwt && !IsAccessTokenType(jwt))
            {
                context.Fail("Only access tokens are accepted.");
                return;
            }

            // Important: aud says the token may be shown to the BFF, not that its client may call it
            // (Keycloak's audience resolution adds aud for other clients). Check who it was issued to.
            if (context.SecurityToken is not JsonWebToken issued || AuthorizedParty(issued) is not { } party || !allowedClients.Contains(party))
            {
                context.Fail("The bearer token was issued to a client that may not call this API.");
                return;
            }

            await BearerPrincipalEnricher.EnrichAsync(context);
            if (context.Result is null)
            {
                await previous(context);
            }
        };
    }

    /// <summary>The client a token was issued to: <c>azp</c> (Keycloak, OIDC), else <c>client_id</c> (RFC 9068).</summary>
    internal static string? AuthorizedParty(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<string>("azp", out var azp) && !string.IsNullOrEmpty(azp) ? azp
        : jwt.TryGetPayloadValue<string>("client_id", out var clientId) && !string.IsNullOrEmpty(clientId) ? clientId
        : null;

    /// <summary>
    /// Tells access tokens from other JWTs the provider signs for this client. Keycloak marks them
    /// by a <c>typ</c> claim (<c>Bearer</c>, <c>ID</c>, <c>Refresh</c>, <c>Logout</c>); RFC 9068 by the
    /// header <c>typ</c> <c>at+jwt</c> (OpenIddict). Without either mark, a token that carries an ID
    /// token's or logout token's claims (<c>nonce</c>, <c>at_hash</c>, <c>c_hash</c>, <c>events</c>) is refused.
    /// </summary>
    internal static bool IsAccessTokenType(JsonWebToken jwt)
    {
        if (jwt.TryGetPayloadValue<string>("typ", out var typ) && !string.IsNullOrEmpty(typ))
        {
            return string.Equals(typ, "Bearer", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(typ, "at+jwt", StringComparison.OrdinalIgnoreCase);
        }

        if (string.Equals(jwt.Typ, "at+jwt", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(jwt.Typ, "application/at+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !string.Equals(jwt.Typ, "logout+jwt", StringComparison.OrdinalIgnoreCase) &&
            !jwt.TryGetClaim("nonce", out _) && !jwt.TryGetClaim("at_hash", out _) &&
            !jwt.TryGetClaim("c_hash", out _) && !jwt.TryGetClaim("events", out _);
    }
}
