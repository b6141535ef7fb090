namespace Bff.Sessions;

/// <summary>
/// The BFF's server-side sessions as an app's own code reads them: one session by its key (from
/// <see cref="BffSessionHttpContextExtensions.GetBffSessionKeyAsync"/>), a user's or an identity
/// provider session's sessions, and a session's tokens replaced (a test that makes an access token
/// count as expired, code that obtained new tokens itself).
/// </summary>
/// <remarks>
/// <para>
/// To end sessions, use <see cref="IUserSessionService"/>: it also revokes the refresh token at the
/// identity provider and tells the session's open event streams. To show a user their sessions, use
/// <see cref="IUserSessionService.ListAsync"/> too: it answers with public ids, never the key that
/// <see cref="ServerSession.Key"/> holds.
/// </para>
/// <para>
/// The one implementation protects the ticket, the tokens and the session's details with ASP.NET
/// Data Protection, keeps recently used sessions in memory, and hands only protected bytes and index
/// values to an <see cref="ISessionStorage"/> (LiteDB by default, Redis with
/// <c>Bff:Storage:Sessions</c> = <c>Redis</c>). It cannot be replaced: to keep sessions elsewhere,
/// replace <see cref="ISessionStorage"/>, which never sees a token.
/// </para>
/// </remarks>
public interface IServerSessionStore
{
    /// <summary>Reads a session, with its tokens, by key; <see langword="null"/> when unknown or expired.</summary>
    /// <param name="key">The session key (<see cref="ServerSession.Key"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<ServerSession?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the live sessions matching a filter (by subject and/or provider session id), with their tokens.</summary>
    /// <param name="filter">The sessions to list; at least one of its values is set.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<ServerSession>> FindAsync(SessionFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the tokens of a session, and nothing else, in one write, whatever was written since it
    /// was read. Returns <see langword="false"/> when the session no longer exists.
    /// </summary>
    /// <param name="key">The session key (<see cref="ServerSession.Key"/>).</param>
    /// <param name="tokens">The session's new tokens.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> UpdateTokensAsync(string key, SessionTokens tokens, CancellationToken cancellationToken = default);
}

/// <summary>Selects sessions by user and/or identity-provider session. At least one value must be set.</summary>
/// <param name="Subject">The user's <c>sub</c>.</param>
/// <param name="SessionId">The identity provider's <c>sid</c>.</param>
public sealed record SessionFilter(string? Subject = null, string? SessionId = null);
