using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Bff.Claims;
using Bff.Claims.Internal;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Login.Internal;

/// <summary>
/// The claims a sign-in needs beyond the ID token: userinfo when the ID token lacks the user name
/// (<c>Oidc:UserInfo</c>), and roles from introspection or userinfo when the access token carries none
/// (<c>Bff:Claims:RolesSource</c>). Everything runs once at sign-in; the result lives in the session's principal.
/// </summary>
internal sealed class SignInClaimsResolver(
    IKeycloakClaimsMapper claimsMapper,
    IOptionsMonitor<BffOidcOptions> oidcOptions,
    IOptionsMonitor<LoginSettings> bffOptions,
    ILogger<SignInClaimsResolver> logger)
{
    // Claims about the token, not the user: a userinfo response that carries them must not add them to the identity.
    private static readonly HashSet<string> NotMerged = new(StringComparer.Ordinal)
    {
        "sub", "iss", "aud", "exp", "iat", "nbf", "jti", "azp", "nonce", "at_hash", "c_hash", "sid", "typ", "auth_time", "acr", "amr",
        "realm_access", "resource_access", "scope", "session_state",
    };

    /// <summary>
    /// Adds userinfo's claims to <paramref name="identity"/> when configured, and reads the roles and groups.
    /// Null when the login must be refused (a userinfo response about another subject).
    /// </summary>
    public async Task<KeycloakAuthorization?> ResolveAsync(TokenValidatedContext context, ClaimsIdentity identity, Claim subject)
    {
        var accessToken = context.TokenEndpointResponse?.AccessToken;
        var clientId = context.Options.ClientId ?? "";
        var cancellation = context.HttpContext.RequestAborted;
        var userNameClaims = bffOptions.CurrentValue.Users.EffectiveUserNameClaims;
        var mode = oidcOptions.CurrentValue.UserInfo;
        var userInfo = new Lazy<Task<UserInfoOutcome>>(() => FetchUserInfoAsync(context, accessToken, subject.Value, cancellation));

        if (mode == BffUserInfoMode.Always
            || (mode == BffUserInfoMode.Auto && !userNameClaims.Any(c => identity.FindFirst(c) is { Value.Length: > 0 })))
        {
            var outcome = await userInfo.Value.ConfigureAwait(false);
            if (outcome.SubjectMismatch)
            {
                return null;
            }

            if (outcome.Claims is { } claims)
            {
                Merge(identity, claims, subject.Issuer);
            }
        }

        var payload = ReadAccessToken(accessToken, subject.Value);
        var source = bffOptions.CurrentValue.Claims.RolesSource;
        if (source == BffRolesSource.Auto)
        {
            source = payload is { } p && (p.TryGetProperty("realm_access", out _) || p.TryGetProperty("resource_access", out _))
                ? BffRolesSource.AccessToken
                : !string.IsNullOrEmpty(context.Options.ClientSecret) && await IntrospectionEndpointAsync(context).ConfigureAwait(false) is not null
                    ? BffRolesSource.Introspection
                    : BffRolesSource.UserInfo;
        }

        logger.RolesRead(source.ToString());
        JsonElement? rolesFrom = source switch
        {
            BffRolesSource.AccessToken => payload,
            BffRolesSource.Introspection => await IntrospectAsync(context, accessToken, subject.Value, cancellation).ConfigureAwait(false),
            _ => await userInfo.Value.ConfigureAwait(false) is { SubjectMismatch: false, Claims: { } claims } ? claims : null,
        };

        var authorization = rolesFrom is { } json ? claimsMapper.Read(json, clientId) : KeycloakAuthorization.Empty;
        var groups = authorization.Groups.Count > 0 ? authorization.Groups : [.. identity.FindAll(BffClaimTypes.Group).Select(c => c.Value)];
        return authorization with { Groups = groups };
    }

    private JsonElement? ReadAccessToken(string? accessToken, string subject)
    {
        if (!BffOpenIdConnectEvents.TryReadJwtPayload(accessToken, out var payload))
        {
            return null; // opaque access token: nothing to read, not an error
        }

        if (payload.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String && sub.GetString() != subject)
        {
            logger.AccessTokenSubjectMismatch();
            return null;
        }

        return payload;
    }

    private async Task<UserInfoOutcome> FetchUserInfoAsync(TokenValidatedContext context, string? accessToken, string subject, CancellationToken cancellation)
    {
        try
        {
            var configuration = await ConfigurationAsync(context, cancellation).ConfigureAwait(false);
            if (string.IsNullOrEmpty(accessToken) || string.IsNullOrEmpty(configuration?.UserInfoEndpoint))
            {
                logger.UserInfoUnavailable(string.IsNullOrEmpty(accessToken) ? "no access token" : "no userinfo_endpoint in discovery", null);
                return UserInfoOutcome.Unavailable;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, configuration.UserInfoEndpoint);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await context.Options.Backchannel.SendAsync(request, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                logger.UserInfoUnavailable("status " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), null);
                return UserInfoOutcome.Unavailable;
            }

            // A signed (application/jwt) userinfo response would need its own validation; only JSON is read.
            if (response.Content.Headers.ContentType?.MediaType is not { } mediaType || !mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                logger.UserInfoUnavailable("the response is not JSON", null);
                return UserInfoOutcome.Unavailable;
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false), cancellationToken: cancellation).ConfigureAwait(false);
            var claims = document.RootElement.Clone();
            if (claims.ValueKind != JsonValueKind.Object)
            {
                logger.UserInfoUnavailable("the response is not a JSON object", null);
                return UserInfoOutcome.Unavailable;
            }

            // OpenID Connect Core 5.3.2: the sub in the userinfo response must exactly match the ID token's.
            if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || !string.Equals(sub.GetString(), subject, StringComparison.Ordinal))
            {
                logger.UserInfoSubjectMismatch();
                return new UserInfoOutcome(null, SubjectMismatch: true);
            }

            return new UserInfoOutcome(claims, SubjectMismatch: false);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException)
        {
            logger.UserInfoUnavailable(ex.GetType().Name, ex);
            return UserInfoOutcome.Unavailable;
        }
    }

    private async Task<JsonElement?> IntrospectAsync(TokenValidatedContext context, string? accessToken, string subject, CancellationToken cancellation)
    {
        try
        {
            var endpoint = await IntrospectionEndpointAsync(context).ConfigureAwait(false);
            if (string.IsNullOrEmpty(accessToken) || endpoint is null)
            {
                logger.IntrospectionUnavailable(string.IsNullOrEmpty(accessToken) ? "no access token" : "no introspection_endpoint in discovery", null);
                return null;
            }

            var response = await context.Options.Backchannel.IntrospectTokenAsync(new TokenIntrospectionRequest
            {
                Address = endpoint,
                ClientId = context.Options.ClientId!,
                ClientSecret = context.Options.ClientSecret,
                Token = accessToken,
                TokenTypeHint = "access_token",
            }, cancellation).ConfigureAwait(false);
            if (response.IsError || !response.IsActive || response.Json is not { ValueKind: JsonValueKind.Object } json)
            {
                logger.IntrospectionUnavailable(response.IsError ? "error " + response.Error : "the token is not active", response.Exception);
                return null;
            }

            if (json.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String && sub.GetString() != subject)
            {
                logger.AccessTokenSubjectMismatch();
                return null;
            }

            return json.Clone();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            logger.IntrospectionUnavailable(ex.GetType().Name, ex);
            return null;
        }
    }

    private static async Task<string?> IntrospectionEndpointAsync(TokenValidatedContext context) =>
        (await ConfigurationAsync(context, context.HttpContext.RequestAborted).ConfigureAwait(false))?.IntrospectionEndpoint is { Length: > 0 } endpoint
            ? endpoint
            : null;

    private static async Task<OpenIdConnectConfiguration?> ConfigurationAsync(TokenValidatedContext context, CancellationToken cancellation) =>
        context.Options.Configuration
        ?? (context.Options.ConfigurationManager is { } manager ? await manager.GetConfigurationAsync(cancellation).ConfigureAwait(false) : null);

    /// <summary>Adds the userinfo claims the identity does not have yet: the signed ID token's claims win.</summary>
    private static void Merge(ClaimsIdentity identity, JsonElement userInfo, string issuer)
    {
        foreach (var property in userInfo.EnumerateObject())
        {
            if (NotMerged.Contains(property.Name) || identity.HasClaim(c => c.Type == property.Name))
            {
                continue;
            }

            var values = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToList() : [property.Value];
            foreach (var value in values)
            {
                if (ToClaim(property.Name, value, issuer) is { } claim)
                {
                    identity.AddClaim(claim);
                }
            }
        }
    }

    private static Claim? ToClaim(string type, JsonElement value, string issuer) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { Length: > 0 } text => new Claim(type, text, ClaimValueTypes.String, issuer),
        JsonValueKind.True => new Claim(type, "true", ClaimValueTypes.Boolean, issuer),
        JsonValueKind.False => new Claim(type, "false", ClaimValueTypes.Boolean, issuer),
        JsonValueKind.Number => new Claim(type, value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double, issuer),
        JsonValueKind.Object => new Claim(type, value.GetRawText(), "JSON", issuer),
        _ => null,
    };

    private sealed record UserInfoOutcome(JsonElement? Claims, bool SubjectMismatch)
    {
        public static UserInfoOutcome Unavailable { get; } = new(null, false);
    }
}
