namespace Bff.Sessions;

/// <summary>
/// Persists server-side sessions. The default implementation keeps them in LiteDB, with the ticket
/// and tokens encrypted by ASP.NET Data Protection.
/// </summary>
public interface IServerSessionStore
{
    /// <summary>Reads a session by key; <see langword="null"/> when unknown or expired.</summary>
    Task<ServerSession?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a session by key, leaving its <see cref="ServerSession.Tokens"/> out unless
    /// <paramref name="includeTokens"/>: the cookie handler needs only the ticket, and a store can then
    /// skip decrypting the tokens. <see langword="null"/> when unknown or expired.
    /// </summary>
    async Task<ServerSession?> GetAsync(string key, bool includeTokens, CancellationToken cancellationToken = default)
    {
        var session = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        return includeTokens || session is null ? session : session with { Tokens = null };
    }

    /// <summary>Creates or replaces a session.</summary>
    Task SaveAsync(ServerSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the tokens of a session, and nothing else, in one write.
    /// Returns <see langword="false"/> when the session no longer exists.
    /// </summary>
    Task<bool> UpdateTokensAsync(string key, SessionTokens tokens, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the ticket of a session and moves its idle expiry and last-seen time, keeping its
    /// tokens (the cookie handler's sliding renewal must never write old tokens back).
    /// Returns <see langword="false"/> when the session no longer exists.
    /// </summary>
    /// <remarks>
    /// The default implementation reads and saves the session and can therefore lose a concurrent
    /// token update; stores should implement it as one atomic write.
    /// </remarks>
    async Task<bool> RenewAsync(string key, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset? idleExpires, CancellationToken cancellationToken = default)
    {
        var session = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return false;
        }

        await SaveAsync(session with { Ticket = ticket, LastSeen = lastSeen, IdleExpires = idleExpires }, cancellationToken).ConfigureAwait(false);
        return true;
    }

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
