namespace Bff.Sessions;

/// <summary>Server-side session settings, bound from <c>Bff:Session</c>.</summary>
public sealed class BffSessionOptions
{
    /// <summary>
    /// The session cookie's name. The <c>__Host-</c> prefix makes the browser insist on Secure,
    /// Path=/ and no Domain. It must differ from the identity provider's cookie names, since cookies
    /// ignore ports. Defaults to <c>__Host-bff</c>.
    /// </summary>
    public string CookieName { get; set; } = "__Host-bff";

    /// <summary>
    /// A session unused for this long ends (sliding). Defaults to 30 minutes, Keycloak's SSO Session Idle.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A session ends this long after login however active it is. Defaults to 10 hours, Keycloak's SSO Session Max.
    /// </summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>
    /// How many recently used sessions the session store keeps in memory, so that requests
    /// skip the storage read and the decryption; the least recently used are dropped beyond it. An
    /// entry holds the decrypted ticket and the encrypted tokens (about 5 KB with Keycloak-sized
    /// tokens), plus the decrypted tokens once the session called a remote API (about 6 KB more).
    /// 0 turns the cache off. The same number bounds the memory of recent session-cookie values
    /// and the session keys they unprotect to (about 1 KB each). Defaults to 2,000; in resident memory,
    /// with the garbage collector's slack, that is about 25 MB per 1,000 cached sessions (bench row 7b).
    /// </summary>
    public int CacheSize { get; set; } = 2_000;

    /// <summary>
    /// With a storage shared by several instances (Redis): how long a session stays in an instance's
    /// memory at most before it is read again. Other instances' changes arrive at once as notices; this
    /// only bounds how long a lost notice (a dropped connection) can let a deleted or refreshed session
    /// be served. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan SharedCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often expired sessions are deleted in the background. Defaults to 5 minutes.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);
}
