using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Sessions;

/// <summary>In-memory SSO sessions; lives in <see cref="DevIdpState"/> so a restarted server keeps them.</summary>
internal sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, SsoSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SsoSession> _byCookie = new(StringComparer.Ordinal);

    public SsoSession Create(DevIdpRealm realm, DevIdpUser user, DateTimeOffset now)
    {
        // Important: the session id (sid, a UUID as Keycloak's) is public: clients show it to page script
        // and put it in logout URLs. The cookie value is a separate 256-bit secret, the only thing that
        // proves the session; knowing a sid must never sign a browser in.
        var id = Guid.NewGuid().ToString("D");
        var session = new SsoSession(id, Base64Url(RandomNumberGenerator.GetBytes(32)), realm.Name, user.Id, now);
        _sessions[id] = session;
        _byCookie[session.CookieValue] = session;
        return session;
    }

    /// <summary>The session of a <c>sid</c> (from a token or an ID token hint).</summary>
    public SsoSession? Find(string? id) =>
        id is not null && _sessions.TryGetValue(id, out var session) ? session : null;

    /// <summary>The session an SSO cookie value proves.</summary>
    public SsoSession? FindByCookie(string? cookieValue) =>
        cookieValue is not null && _byCookie.TryGetValue(cookieValue, out var session) ? session : null;

    /// <summary>The session of a <c>sid</c> if it exists in that realm and is still alive.</summary>
    public SsoSession? FindAlive(DevIdpRealm realm, string? id, DateTimeOffset now) =>
        Alive(Find(id), realm, now);

    /// <summary>The session an SSO cookie proves, if it is in that realm and still alive.</summary>
    public SsoSession? FindAliveByCookie(DevIdpRealm realm, string? cookieValue, DateTimeOffset now) =>
        Alive(FindByCookie(cookieValue), realm, now);

    public IReadOnlyList<SsoSession> ForUser(string realm, string userId) =>
        _sessions.Values.Where(s => s.Realm == realm && s.UserId == userId && !s.Ended).ToList();

    public void Remove(string id)
    {
        if (_sessions.TryRemove(id, out var session))
        {
            _byCookie.TryRemove(session.CookieValue, out _);
        }
    }

    private static SsoSession? Alive(SsoSession? session, DevIdpRealm realm, DateTimeOffset now) =>
        session is not null && session.Realm == realm.Name && session.IsAlive(realm, now) ? session : null;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
