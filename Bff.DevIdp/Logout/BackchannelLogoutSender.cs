using System.Security.Claims;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.DevIdp.Logout;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0: a signed logout token form-posted to each client that took part in
/// the session. Best effort, as in Keycloak: a client that is down does not stop the logout.
/// </summary>
internal sealed class BackchannelLogoutSender(DevIdpState state, IHttpClientFactory httpClients, ILogger<BackchannelLogoutSender> logger)
{
    public const string HttpClientName = "Bff.DevIdp.Backchannel";
    public const string LogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    public Task SendAsync(DevIdpRealm realm, SsoSession session, string issuer, CancellationToken cancellationToken)
    {
        var sends = session.Clients.Keys
            .Select(realm.FindClient)
            .OfType<DevIdpClient>()
            .Where(c => c.BackchannelLogoutUrl is not null)
            .Select(c => SendOneAsync(c, c.BackchannelLogoutUrl!, session, issuer, cancellationToken));
        return Task.WhenAll(sends);
    }

    private async Task SendOneAsync(DevIdpClient client, Uri url, SsoSession session, string issuer, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new FormUrlEncodedContent([new("logout_token", CreateLogoutToken(client.ClientId, session, issuer, client.BackchannelLogoutSessionRequired))]);
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(url, content, cancellationToken);
            DevIdpLog.BackchannelLogoutSent(logger, client.ClientId, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            DevIdpLog.BackchannelLogoutFailed(logger, ex, client.ClientId, url);
        }
    }

    internal string CreateLogoutToken(string clientId, SsoSession session, string issuer, bool includeSessionId = true)
    {
        var now = state.Now;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = clientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(2).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, session.UserId)]),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                ["sid"] = session.Id,
                ["typ"] = "Logout",
                ["events"] = new Dictionary<string, object> { [LogoutEvent] = new Dictionary<string, object>() },
            },
            SigningCredentials = new SigningCredentials(state.SigningKey, SecurityAlgorithms.RsaSha256),

            // Keycloak sends "typ": "JWT" in the header (the spec's "logout+jwt" is only recommended).
            TokenType = "JWT",
        };
        if (!includeSessionId)
        {
            // backchannel.logout.session.required off: Keycloak leaves sid out, so the client ends every session of sub.
            descriptor.Claims.Remove("sid");
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
