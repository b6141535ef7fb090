using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Bff.Bench.Peer;

/// <summary>
/// The sample pattern's refresh: on every authenticated request the cookie handler has decrypted
/// the big cookie; when the access token it holds expires within <see cref="Skew"/>, redeem the
/// refresh token at the token endpoint, validate the new ID token, and put the new tokens into the
/// cookie (the handler then writes it again). No coordination between concurrent requests: each one
/// that sees the old token redeems the refresh token, as in the pattern.
/// </summary>
internal sealed class PeerTokenRefresher(IOptionsMonitor<OpenIdConnectOptions> oidcOptions, TimeProvider time)
{
    /// <summary>Refresh this long before the access token expires (the sample uses five minutes; ours one).</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    public async Task ValidateOrRefreshAsync(CookieValidatePrincipalContext context, string oidcScheme)
    {
        var now = time.GetUtcNow();
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires) && now + Skew < expires)
        {
            return;
        }

        var oidc = oidcOptions.Get(oidcScheme);
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (string.IsNullOrEmpty(refreshToken) || oidc.ConfigurationManager is null)
        {
            context.RejectPrincipal();
            return;
        }

        var configuration = await oidc.ConfigurationManager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = oidc.ClientId!,
            ["client_secret"] = oidc.ClientSecret!,
            ["refresh_token"] = refreshToken,
        });
        using var response = await oidc.Backchannel.PostAsync(new Uri(configuration.TokenEndpoint), form, context.HttpContext.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            context.RejectPrincipal();
            return;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(context.HttpContext.RequestAborted));
        var root = body.RootElement;
        var idToken = root.TryGetProperty("id_token", out var id) ? id.GetString() : context.Properties.GetTokenValue("id_token");
        if (root.TryGetProperty("id_token", out _))
        {
            var validation = oidc.TokenValidationParameters.Clone();
            validation.ValidIssuer = configuration.Issuer;
            validation.ValidAudience = oidc.ClientId;
            validation.IssuerSigningKeys = configuration.SigningKeys;
            var validated = await oidc.TokenHandler.ValidateTokenAsync(idToken, validation);
            if (!validated.IsValid)
            {
                context.RejectPrincipal();
                return;
            }

            context.ReplacePrincipal(new ClaimsPrincipal(validated.ClaimsIdentity));
        }

        var lifetime = root.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 300;
        context.Properties.StoreTokens(
        [
            new AuthenticationToken { Name = "access_token", Value = root.GetProperty("access_token").GetString()! },
            new AuthenticationToken { Name = "refresh_token", Value = root.TryGetProperty("refresh_token", out var next) ? next.GetString()! : refreshToken },
            new AuthenticationToken { Name = "id_token", Value = idToken ?? "" },
            new AuthenticationToken { Name = "token_type", Value = "Bearer" },
            new AuthenticationToken { Name = "expires_at", Value = (now + TimeSpan.FromSeconds(lifetime)).ToString("o", CultureInfo.InvariantCulture) },
        ]);
        context.ShouldRenew = true;
    }
}
