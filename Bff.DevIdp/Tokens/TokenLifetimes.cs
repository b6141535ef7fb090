using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;

namespace Bff.DevIdp.Tokens;

/// <summary>How long tokens live, from the realm's and the client's settings, as Keycloak computes it.</summary>
internal static class TokenLifetimes
{
    /// <summary>The client's <c>access.token.lifespan</c>, else the realm's <c>accessTokenLifespan</c>.</summary>
    public static TimeSpan AccessToken(DevIdpRealm realm, DevIdpClient? client) => client?.AccessTokenLifespan ?? realm.AccessTokenLifespan;

    /// <summary>
    /// A refresh token lives until the session would go idle and never past its max lifespan; a client session
    /// idle or max (client attribute, else realm setting) shortens both, never lengthens them.
    /// </summary>
    public static TimeSpan RefreshToken(DevIdpRealm realm, DevIdpClient client, SsoSession session, DateTimeOffset now)
    {
        var idle = Shorter(realm.SsoSessionIdleTimeout, client.ClientSessionIdleTimeout ?? realm.ClientSessionIdleTimeout);
        var max = Shorter(realm.SsoSessionMaxLifespan, client.ClientSessionMaxLifespan ?? realm.ClientSessionMaxLifespan);
        var untilMax = max - (now - session.Created);
        return untilMax < idle ? untilMax : idle;
    }

    private static TimeSpan Shorter(TimeSpan value, TimeSpan? other) => other is { } o && o < value ? o : value;
}
