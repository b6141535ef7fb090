namespace Bff.Sessions;

/// <summary>
/// The BFF's server-side sessions, in plain form. The one implementation protects the ticket, the
/// tokens and the session's details with ASP.NET Data Protection, keeps recently used sessions in
/// memory, and hands only protected bytes and index values to an <see cref="ISessionStorage"/>
/// (LiteDB by default, Redis with <c>Bff:Storage:Sessions</c> = <c>Redis</c>). To keep sessions
/// elsewhere, replace <see cref="ISessionStorage"/>, not this: a storage never sees a token.
/// </summary>
public interface IServerSessionStore
{
    /// <summary>Reads a session by key; <see langword="null"/> when unknown or expired.</summary>
    Task<ServerSession?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a session by key, leaving its <see cref="ServerSession.Tokens"/> out unless
    /// <paramref name="includeTokens"/>: the cookie handler needs only the ticket, and the tokens
    /// then stay encrypted. <see langword="null"/> when unknown or expired.
    /// </summary>
    Task<ServerSession?> GetAsync(string key, bool includeTokens, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a session with its tokens from the storage itself, never from this instance's memory:
    /// the read to make before redeeming a refresh token, since a cached copy can be a refresh behind
    /// when another instance refreshed. <see langword="null"/> when unknown or expired.
    /// </summary>
    Task<ServerSession?> GetFreshAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a session (its <see cref="ServerSession.Version"/> moves on).</summary>
    Task SaveAsync(ServerSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the tokens of a session, and nothing else, in one write, whatever its version.
    /// Returns <see langword="false"/> when the session no longer exists.
    /// </summary>
    Task<bool> UpdateTokensAsync(string key, SessionTokens tokens, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the tokens of a session only if its <see cref="ServerSession.Version"/> is still
    /// <paramref name="expectedVersion"/> (compare-and-set, atomic in the storage). Returns
    /// <see langword="false"/> when the version moved (someone else wrote tokens) or the session no
    /// longer exists; read the session again to tell which.
    /// </summary>
    Task<bool> CompareAndSetTokensAsync(string key, long expectedVersion, SessionTokens tokens, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the ticket of a session and moves its idle expiry (never past the absolute one) and
    /// last-seen time, keeping its tokens and version, in one atomic write: the cookie handler's
    /// sliding renewal must never write old tokens back. Returns <see langword="false"/> when the
    /// session no longer exists.
    /// </summary>
    Task<bool> RenewAsync(string key, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset? idleExpires, CancellationToken cancellationToken = default);

    /// <summary>Deletes one session. Returns whether it existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the sessions matching a filter (by subject and/or provider session id).</summary>
    Task<IReadOnlyList<ServerSession>> FindAsync(SessionFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Deletes the sessions matching a filter and returns the deleted ones.</summary>
    Task<IReadOnlyList<ServerSession>> DeleteAsync(SessionFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>Selects sessions by user and/or identity-provider session. At least one value must be set.</summary>
/// <param name="Subject">The user's <c>sub</c>.</param>
/// <param name="SessionId">The identity provider's <c>sid</c>.</param>
public sealed record SessionFilter(string? Subject = null, string? SessionId = null);
