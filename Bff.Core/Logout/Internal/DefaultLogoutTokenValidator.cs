using System.Text.Json;
using Bff.Login;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Logout.Internal;

/// <summary>
/// The default <see cref="ILogoutTokenValidator"/> (OpenID Connect Back-Channel Logout 1.0, section 2.6).
/// Keys and issuer come from the login handler's configuration manager, so the same discovery
/// document, JWKS (or <c>Oidc:JwksUri</c>) and cache serve login and logout.
/// </summary>
internal sealed class DefaultLogoutTokenValidator(
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<BffOidcOptions> bffOidcOptions,
    IOptionsMonitor<BackchannelLogoutOptions> options,
    ILogoutTokenReplayCache replayCache,
    TimeProvider time) : ILogoutTokenValidator
{
    /// <summary>The event a logout token must carry.</summary>
    public const string BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    // Keycloak sends "JWT"; the specification recommends "logout+jwt" (explicit typing, RFC 8725).
    private static readonly string[] ValidTypes = ["JWT", "logout+jwt", "application/logout+jwt"];

    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public async Task<LogoutTokenValidationResult> ValidateAsync(string logoutToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(logoutToken) || !handler.CanReadToken(logoutToken))
        {
            return LogoutTokenValidationResult.Failure("The logout_token is not a JWT.");
        }

        var oidc = oidcOptions.Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        if (oidc.ConfigurationManager is not { } manager)
        {
            return LogoutTokenValidationResult.NotAvailable("The identity provider's configuration is not available.");
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            return LogoutTokenValidationResult.NotAvailable("The identity provider's keys could not be loaded.");
        }

        var result = await ValidateSignatureAsync(logoutToken, configuration, oidc.ClientId).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The provider may have rotated its keys since the JWKS was cached: look once more.
            manager.RequestRefresh();
            configuration = await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            result = await ValidateSignatureAsync(logoutToken, configuration, oidc.ClientId).ConfigureAwait(false);
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return LogoutTokenValidationResult.Failure(Describe(result.Exception));
        }

        return await ValidateClaimsAsync(token, cancellationToken).ConfigureAwait(false);
    }

    private Task<TokenValidationResult> ValidateSignatureAsync(string logoutToken, OpenIdConnectConfiguration configuration, string? clientId)
    {
        var settings = options.CurrentValue;
        return handler.ValidateTokenAsync(logoutToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidateIssuer = true,
            ValidAudience = clientId,
            ValidateAudience = true,
            IssuerSigningKeys = configuration.SigningKeys,
            RequireSignedTokens = true,
            // Important: the configured asymmetric algorithms only (RS256 by default), as for ID tokens.
            ValidAlgorithms = [.. bffOidcOptions.Value.SignAlgorithms],
            ValidTypes = ValidTypes,
            // Older Keycloak versions send no exp: the iat age below bounds the token instead.
            RequireExpirationTime = false,
            ValidateLifetime = true,
            ClockSkew = settings.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore.Value - settings.ClockSkew <= now) && (expires is null || expires.Value + settings.ClockSkew > now);
            },
        });
    }

    private async Task<LogoutTokenValidationResult> ValidateClaimsAsync(JsonWebToken token, CancellationToken cancellationToken)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        var claims = payload.RootElement;
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();

        if (!claims.TryGetProperty("iat", out var iatElement) || !iatElement.TryGetInt64(out var iatSeconds))
        {
            return LogoutTokenValidationResult.Failure("The logout token has no iat.");
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
        if (issuedAt > now + settings.ClockSkew)
        {
            return LogoutTokenValidationResult.Failure("The logout token was issued in the future.");
        }

        if (now - issuedAt > settings.MaxTokenAge + settings.ClockSkew)
        {
            return LogoutTokenValidationResult.Failure("The logout token is too old.");
        }

        if (!claims.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Object ||
            !events.TryGetProperty(BackchannelLogoutEvent, out var logoutEvent) || logoutEvent.ValueKind != JsonValueKind.Object)
        {
            return LogoutTokenValidationResult.Failure("The logout token has no back-channel logout event.");
        }

        // A nonce would make it an ID token look-alike; the specification forbids it here.
        if (claims.TryGetProperty("nonce", out _))
        {
            return LogoutTokenValidationResult.Failure("The logout token must not contain a nonce.");
        }

        var subject = StringClaim(claims, "sub");
        var sessionId = StringClaim(claims, "sid");
        if (subject is null && sessionId is null)
        {
            return LogoutTokenValidationResult.Failure("The logout token has neither sid nor sub.");
        }

        if (StringClaim(claims, "jti") is not { } jti)
        {
            return LogoutTokenValidationResult.Failure("The logout token has no jti.");
        }

        // Remember the id until the token would be refused anyway: its exp, or its iat age limit.
        var exp = claims.TryGetProperty("exp", out var expElement) && expElement.TryGetInt64(out var expSeconds)
            ? DateTimeOffset.FromUnixTimeSeconds(expSeconds)
            : issuedAt + settings.MaxTokenAge;
        var ageLimit = issuedAt + settings.MaxTokenAge;
        var rememberUntil = (exp > ageLimit ? exp : ageLimit) + settings.ClockSkew;
        if (!await replayCache.TryAddAsync(token.Issuer + " " + jti, rememberUntil, cancellationToken).ConfigureAwait(false))
        {
            return LogoutTokenValidationResult.Failure("The logout token was already used (jti replayed).");
        }

        return LogoutTokenValidationResult.Success(subject, sessionId);
    }

    private static string? StringClaim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    // Fixed descriptions: nothing of the token (or the exception's token dump) goes back to the caller.
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAudienceException => "The logout token's audience is not this client.",
        SecurityTokenInvalidIssuerException => "The logout token's issuer is not the identity provider.",
        SecurityTokenInvalidTypeException => "The logout token's typ header must be JWT or logout+jwt.",
        SecurityTokenInvalidAlgorithmException => "The logout token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The logout token's signature is not valid.",
        SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenInvalidLifetimeException => "The logout token has expired or is not valid yet.",
        _ => "The logout token is not valid.",
    };
}
