namespace Bff.Sessions;

/// <summary>
/// Where sessions are kept: a byte store with a few index fields. It receives only what
/// <see cref="IServerSessionStore"/> has already protected with Data Protection (ticket, tokens,
/// details such as the subject and the user agent) and index values that are hashes, never a claim
/// value: a storage, or a copy of it, reveals no token, no claim and no user name. It knows each
/// session by a hash of the session key (<see cref="StoredSession.Key"/>), never by the key itself,
/// so neither its records nor its key names can be presented as a session.
/// </summary>
/// <remarks>
/// <para>
/// The built-in ones are LiteDB (the default, one process) and Redis (<c>Bff:Storage:Sessions</c> =
/// <c>Redis</c>, several instances). Register another with <c>services.AddSingleton&lt;ISessionStorage, ...&gt;()</c>
/// before <c>AddBff</c>; implement <see cref="ISessionStorageCleanup"/> too if expired sessions do
/// not disappear by themselves.
/// </para>
/// <para>
/// Every method must treat a session past <see cref="StoredSession.Expires"/> or
/// <see cref="StoredSession.IdleExpires"/> as absent. Writes that read first (token updates, renewals)
/// must be atomic: a lost token write makes the BFF redeem a rotated refresh token again.
/// </para>
/// </remarks>
public interface ISessionStorage
{
    /// <summary>Reads a session; <see langword="null"/> when unknown or expired.</summary>
    Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces a session. The storage assigns its version (one more than the replaced
    /// session's, or 1; <see cref="StoredSession.Version"/> of the argument is ignored) and returns it.
    /// </summary>
    Task<long> SaveAsync(StoredSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the protected tokens of a live session and adds one to its version, in one atomic
    /// write; when <paramref name="expectedVersion"/> is set, only if the version still equals it
    /// (compare-and-set). Returns <see langword="false"/> when the session is absent or its version moved.
    /// </summary>
    Task<bool> UpdateTokensAsync(string key, byte[] protectedTokens, long? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the protected ticket of a live session, sets its last-seen time and moves its idle
    /// expiry to <paramref name="idleExpires"/> but never past its absolute expiry, keeping tokens and
    /// version, in one atomic write. Returns <see langword="false"/> when the session is absent.
    /// </summary>
    Task<bool> RenewAsync(string key, byte[] protectedTicket, DateTimeOffset lastSeen, DateTimeOffset idleExpires, CancellationToken cancellationToken = default);

    /// <summary>Deletes one session. Returns whether it existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the live sessions matching every index value the filter sets.</summary>
    Task<IReadOnlyList<StoredSession>> FindAsync(StoredSessionFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Deletes the sessions matching every index value the filter sets; returns the deleted live ones.</summary>
    Task<IReadOnlyList<StoredSession>> DeleteAsync(StoredSessionFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>
/// Deletes expired sessions, for a <see cref="ISessionStorage"/> in which they do not expire by
/// themselves (LiteDB does not; Redis keys do). Run every <c>Bff:Session:CleanupInterval</c>.
/// </summary>
public interface ISessionStorageCleanup
{
    /// <summary>Deletes every session past its idle or absolute expiry; returns how many.</summary>
    Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A session as a <see cref="ISessionStorage"/> keeps it: protected payloads and index fields.
/// </summary>
public sealed record StoredSession
{
    /// <summary>
    /// What the storage knows the session by: a SHA-256 hash of the session key (the key itself is a
    /// bearer secret the cookie carries inside its own protection, and no storage ever sees it).
    /// </summary>
    public required string Key { get; init; }

    /// <summary>A hash of the user's <c>sub</c> to find a user's sessions by, or <see langword="null"/>.</summary>
    public string? SubjectIndex { get; init; }

    /// <summary>A hash of the identity provider's <c>sid</c> to find sessions by, or <see langword="null"/>.</summary>
    public string? SessionIdIndex { get; init; }

    /// <summary>The protected authentication ticket.</summary>
    public required byte[] Ticket { get; init; }

    /// <summary>The protected details (subject, sid, issuer, user agent, address).</summary>
    public required byte[] Details { get; init; }

    /// <summary>The protected tokens, when the session has any.</summary>
    public byte[]? Tokens { get; init; }

    /// <summary>When the session was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the session was last used (moved by renewal).</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>The absolute expiry.</summary>
    public DateTimeOffset Expires { get; init; }

    /// <summary>The idle expiry, never after <see cref="Expires"/>.</summary>
    public DateTimeOffset IdleExpires { get; init; }

    /// <summary>One more with each token write and each save; unchanged by renewal.</summary>
    public long Version { get; init; }
}

/// <summary>Index values to select stored sessions by; at least one is set.</summary>
/// <param name="SubjectIndex">Matches <see cref="StoredSession.SubjectIndex"/>.</param>
/// <param name="SessionIdIndex">Matches <see cref="StoredSession.SessionIdIndex"/>.</param>
public sealed record StoredSessionFilter(string? SubjectIndex = null, string? SessionIdIndex = null);

/// <summary>
/// Implemented by a <see cref="ISessionStorage"/> that several instances share (Redis): it reports
/// the sessions other instances wrote or deleted, so that each instance's memory of recently used
/// sessions never serves one that changed elsewhere.
/// </summary>
public interface ISessionStorageNotifications
{
    /// <summary>
    /// Calls <paramref name="changed"/> with the <see cref="StoredSession.Key"/> of each session another instance wrote or
    /// deleted, and with <see langword="null"/> when notices may have been missed (the connection
    /// dropped): then every remembered session must be read again.
    /// </summary>
    void Subscribe(Action<string?> changed);
}
