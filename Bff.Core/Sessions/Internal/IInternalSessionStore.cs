namespace Bff.Sessions.Internal;

/// <summary>
/// The session store as the BFF's own parts use it: the ticket store (sign-in, sliding renewal,
/// sign-out), the token service (refresh across instances), the session service (ending sessions),
/// <c>/bff/user</c> and the event streams. It adds to what an app reads (<see cref="IServerSessionStore"/>)
/// the writes those parts make and the reads shaped for them. Its one implementation is
/// <see cref="ProtectedServerSessionStore"/>, which an app cannot replace.
/// </summary>
internal interface IInternalSessionStore : IServerSessionStore
{
    /// <summary>
    /// Reads a session by key, leaving its <see cref="ServerSession.Tokens"/> out unless
    /// <paramref name="includeTokens"/>: the cookie handler needs only the ticket, and the tokens
    /// then stay encrypted. <see langword="null"/> when unknown or expired.
    /// </summary>
    Task<ServerSession?> GetAsync(string key, bool includeTokens, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tokens of a session, for the token service, which needs nothing else of it on most calls:
    /// no copy of the session is made, and a session in memory whose tokens were unprotected before is
    /// answered without a task (every proxied call of an active browser).
    /// </summary>
    ValueTask<SessionTokensRead> GetTokensAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a session holds tokens, and how long they last, for callers that only ask whether it
    /// can call APIs (<c>/bff/user</c>): the tokens are unprotected for the answer, and then the cached
    /// session keeps the answer only, in neither form of the tokens, unless another caller (the token
    /// service) already needed them. <see langword="null"/> when the session is unknown, expired or its
    /// tokens unreadable.
    /// </summary>
    Task<SessionTokenState?> GetTokenStateAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a session with its tokens from the storage itself, never from this instance's memory:
    /// the read to make before redeeming a refresh token, since a cached copy can be a refresh behind
    /// when another instance refreshed. <see langword="null"/> when unknown or expired.
    /// </summary>
    Task<ServerSession?> GetFreshAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a session (its <see cref="ServerSession.Version"/> moves on; the argument's is ignored).</summary>
    Task SaveAsync(ServerSession session, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// Deletes one session and nothing else (no revocation, no session-ended signal: those are
    /// <see cref="IUserSessionService"/>'s). Returns whether it existed.
    /// </summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the sessions matching a filter and returns the deleted ones (as <see cref="DeleteAsync(string, CancellationToken)"/>, nothing else).</summary>
    Task<IReadOnlyList<ServerSession>> DeleteAsync(SessionFilter filter, CancellationToken cancellationToken = default);
}
