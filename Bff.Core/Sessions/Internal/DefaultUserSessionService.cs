using Microsoft.Extensions.Logging;

namespace Bff.Sessions.Internal;

/// <summary>
/// The default <see cref="IUserSessionService"/>: deletes sessions from the <see cref="IInternalSessionStore"/>,
/// then revokes their refresh tokens (best effort: a failed revocation is logged, the session is gone anyway).
/// </summary>
/// <remarks>
/// Note: the session is deleted before its refresh token is revoked. A refresh that is in flight at that
/// moment finds the session gone when it stores the new tokens and revokes the new refresh token itself
/// (see the token service), so no live refresh token is left behind in either order of events.
/// </remarks>
internal sealed class DefaultUserSessionService(
    IInternalSessionStore store,
    IRefreshTokenRevocation revocation,
    SessionLifecycle lifecycle,
    ILogger<DefaultUserSessionService> logger) : IUserSessionService
{
    public async Task<IReadOnlyList<UserSessionInfo>> ListAsync(string subject, string? currentSessionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var sessions = await store.FindAsync(new SessionFilter(Subject: subject), cancellationToken).ConfigureAwait(false);
        return [.. sessions
            .OrderByDescending(s => s.Created)
            .Select(s => new UserSessionInfo(
                SessionPublicId.Of(s.Key),
                s.Created,
                s.LastSeen,
                s.Expires,
                s.IdleExpires,
                UserAgentLabel.Describe(s.UserAgent),
                s.UserAgent,
                s.IpAddress,
                string.Equals(s.Key, currentSessionKey, StringComparison.Ordinal)))];
    }

    public async Task<bool> EndByKeyAsync(string sessionKey, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        var session = await store.GetAsync(sessionKey, cancellationToken).ConfigureAwait(false);
        if (!await store.DeleteAsync(sessionKey, cancellationToken).ConfigureAwait(false) || session is null)
        {
            return false;
        }

        await RevokeAsync(session, reason).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> EndOwnAsync(string subject, string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var sessions = await store.FindAsync(new SessionFilter(Subject: subject), cancellationToken).ConfigureAwait(false);
        var session = sessions.FirstOrDefault(s => SessionPublicId.Matches(s.Key, sessionId));
        return session is not null && await EndByKeyAsync(session.Key, reason, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> EndAllAsync(SessionFilter filter, SessionEndReason reason, string? exceptSessionKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (string.IsNullOrEmpty(filter.Subject) && string.IsNullOrEmpty(filter.SessionId))
        {
            // An empty filter would match everyone: never end every session by accident.
            throw new ArgumentException("A session filter needs a subject or a session id.", nameof(filter));
        }

        IReadOnlyList<ServerSession> ended;
        if (exceptSessionKey is null)
        {
            ended = await store.DeleteAsync(filter, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var deleted = new List<ServerSession>();
            foreach (var session in await store.FindAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                if (!string.Equals(session.Key, exceptSessionKey, StringComparison.Ordinal) &&
                    await store.DeleteAsync(session.Key, cancellationToken).ConfigureAwait(false))
                {
                    deleted.Add(session);
                }
            }

            ended = deleted;
        }

        await Task.WhenAll(ended.Select(s => RevokeAsync(s, reason))).ConfigureAwait(false);
        return ended.Count;
    }

    private async Task RevokeAsync(ServerSession session, SessionEndReason reason)
    {
        var publicId = SessionPublicId.Of(session.Key);
        logger.SessionEnded(publicId, session.Subject, reason.ToWireName());
        lifecycle.SessionEnd(session.Key, reason);
        if (session.Tokens?.RefreshToken is not { Length: > 0 } refreshToken)
        {
            return;
        }

        try
        {
            // Not the caller's cancellation token: the session is already deleted, and a browser that
            // navigates away must not leave its refresh token alive at the identity provider.
            var result = await revocation.RevokeAsync(refreshToken, CancellationToken.None).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                logger.RevocationFailed(publicId, result.Error);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            logger.RevocationFailed(publicId, ex.GetType().Name, ex);
        }
    }
}
