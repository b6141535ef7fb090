using System.Collections.Concurrent;
using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Sessions;

/// <summary>A user's single sign-on session in a realm, like Keycloak's user session.</summary>
internal sealed class SsoSession
{
    private long _lastSeenTicks;
    private int _ended;

    public SsoSession(string id, string cookieValue, string realm, string userId, DateTimeOffset now)
    {
        Id = id;
        CookieValue = cookieValue;
        Realm = realm;
        UserId = userId;
        Created = now;
        AuthenticatedAt = now;
        _lastSeenTicks = now.UtcTicks;
    }

    /// <summary>The session id: the <c>sid</c> claim of tokens and logout tokens. Public, never a credential.</summary>
    public string Id { get; }

    /// <summary>
    /// The SSO cookie's value: the secret that proves the session to the login endpoint. Independent of
    /// <see cref="Id"/>, because clients show <c>sid</c> to page script and put it in logout URLs.
    /// </summary>
    public string CookieValue { get; }

    public string Realm { get; }

    public string UserId { get; }

    public DateTimeOffset Created { get; }

    /// <summary>When the user last authenticated with a credential in this session (OIDC auth_time; max_age checks it).</summary>
    public DateTimeOffset AuthenticatedAt { get; set; }

    /// <summary>The Level of Authentication reached in this session (1 password, 2 with the one-time password).</summary>
    public int Level { get; set; } = Login.AcrLevels.Password;

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    public bool Ended => Volatile.Read(ref _ended) == 1;

    /// <summary>Clients that received tokens in this session; they get a back-channel logout when it ends.</summary>
    public ConcurrentDictionary<string, byte> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Alive unless ended, idle past the realm's idle timeout, or older than its max lifespan.</summary>
    public bool IsAlive(DevIdpRealm realm, DateTimeOffset now) =>
        !Ended && now - LastSeen < realm.SsoSessionIdleTimeout && now - Created < realm.SsoSessionMaxLifespan;

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);

    /// <summary>Marks the session ended; true only for the caller that ended it.</summary>
    public bool End() => Interlocked.Exchange(ref _ended, 1) == 0;
}
