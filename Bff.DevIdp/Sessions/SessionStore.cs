using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Sessions;

/// <summary>In-memory SSO sessions; lives in <see cref="DevIdpState"/> so a restarted server keeps them.</summary>
internal sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, SsoSession> _sessions = new(StringComparer.Ordinal);

    public SsoSession Create(DevIdpRealm realm, DevIdpUser user, DateTimeOffset now)
    {
        // 256 random bits: the cookie value is the only thing that proves the session.
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var session = new SsoSession(id, realm.Name, user.Id, now);
        _sessions[id] = session;
        return session;
    }

    public SsoSession? Find(string? id) =>
        id is not null && _sessions.TryGetValue(id, out var session) ? session : null;

    /// <summary>The session if it exists in that realm and is still alive.</summary>
    public SsoSession? FindAlive(DevIdpRealm realm, string? id, DateTimeOffset now) =>
        Find(id) is { } session && session.Realm == realm.Name && session.IsAlive(realm, now) ? session : null;

    public IReadOnlyList<SsoSession> ForUser(string realm, string userId) =>
        _sessions.Values.Where(s => s.Realm == realm && s.UserId == userId && !s.Ended).ToList();

    public void Remove(string id) => _sessions.TryRemove(id, out _);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
