using Bff.Telemetry.Internal;

namespace Bff.Sessions.Internal;

/// <summary>A session ended: its public id and its storage hash (never the key itself), and why.</summary>
/// <param name="PublicId">The session's <see cref="SessionPublicId"/>.</param>
/// <param name="Reason">Why it ended.</param>
/// <param name="IndexKey">The session's <see cref="SessionIndex.Key"/>, for what this instance keeps per session.</param>
internal sealed record SessionEnded(string PublicId, SessionEndReason Reason, string IndexKey);

/// <summary>
/// The one "session started / session ended (reason)" signal. Every path that ends a session raises
/// <see cref="SessionEnd"/> once, after the session is really gone (logout, back-channel logout, the
/// user's or an administrator's "end sessions", a refused refresh, and expiry as the event streams
/// notice it); the metrics and the event streams (this instance's, and other instances' over Redis)
/// both listen here, so neither can miss a path the other sees.
/// </summary>
internal sealed class SessionLifecycle(BffMetrics metrics)
{
    /// <summary>Raised after a session ended, in the raising thread; handlers must not block.</summary>
    public event Action<SessionEnded>? Ended;

    /// <summary>A sign-in created a session.</summary>
    public void SessionStarted() => metrics.SessionStarted();

    /// <summary>The session with this key is gone, for this reason (raise once, after the delete).</summary>
    public void SessionEnd(string sessionKey, SessionEndReason reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        metrics.SessionEnded(reason.ToWireName());
        Ended?.Invoke(new SessionEnded(SessionPublicId.Of(sessionKey), reason, SessionIndex.Key(sessionKey)));
    }
}
