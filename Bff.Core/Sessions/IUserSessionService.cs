
namespace Bff.Sessions;

/// <summary>
/// Lists and ends server-side sessions. Every way a session ends on purpose (logout, back-channel
/// logout, the sessions page, an administrator) goes through here, so each one also revokes the
/// session's refresh token at the identity provider.
/// </summary>
/// <remarks>
/// What it lists is what a user may see of their sessions (<see cref="UserSessionInfo"/>: a public id,
/// never the key or a token). Server code that needs a session itself (its expiry, its tokens) reads it
/// from <see cref="IServerSessionStore"/>, which ends none.
/// </remarks>
public interface IUserSessionService
{
    /// <summary>The live sessions of a user, newest first, marking <paramref name="currentSessionKey"/> as current.</summary>
    /// <param name="subject">The user's <c>sub</c>.</param>
    /// <param name="currentSessionKey">The session key of the calling request's cookie, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<UserSessionInfo>> ListAsync(string subject, string? currentSessionKey, CancellationToken cancellationToken = default);

    /// <summary>Ends one session by its key (logout). Returns whether it existed.</summary>
    /// <param name="sessionKey">The session key.</param>
    /// <param name="reason">Why: logged, counted, and sent to the session's open event streams.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> EndByKeyAsync(string sessionKey, SessionEndReason reason, CancellationToken cancellationToken = default);

    /// <summary>Ends one of a user's own sessions by its public id. Returns whether it was theirs and existed.</summary>
    /// <param name="subject">The user's <c>sub</c>; a session of anyone else is not found.</param>
    /// <param name="sessionId">The public session id (<see cref="UserSessionInfo.Id"/>).</param>
    /// <param name="reason">Why: logged, counted, and sent to the session's open event streams.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> EndOwnAsync(string subject, string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default);

    /// <summary>Ends every session matching a filter and returns how many ended.</summary>
    /// <param name="filter">The sessions (by <c>sub</c> and/or <c>sid</c>).</param>
    /// <param name="reason">Why: logged, counted, and sent to the session's open event streams.</param>
    /// <param name="exceptSessionKey">A session to keep (the caller's own, for "end all others").</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<int> EndAllAsync(SessionFilter filter, SessionEndReason reason, string? exceptSessionKey = null, CancellationToken cancellationToken = default);
}

/// <summary>One session as its user sees it on the sessions page. Never the session key, never a token.</summary>
/// <param name="Id">An opaque public id (a hash of the session key, which the cookie carries; the key cannot be derived from it).</param>
/// <param name="Created">When the session began.</param>
/// <param name="LastSeen">When it was last used.</param>
/// <param name="Expires">When it ends however active it is.</param>
/// <param name="IdleExpires">When it ends unless used again.</param>
/// <param name="Browser">A short label from the user agent, e.g. <c>Firefox on Linux</c>.</param>
/// <param name="UserAgent">The user agent the session began with.</param>
/// <param name="IpAddress">The client address the session began from.</param>
/// <param name="Current">Whether this is the session of the request that asked.</param>
public sealed record UserSessionInfo(
    string Id,
    DateTimeOffset Created,
    DateTimeOffset LastSeen,
    DateTimeOffset Expires,
    DateTimeOffset? IdleExpires,
    string Browser,
    string? UserAgent,
    string? IpAddress,
    bool Current);
