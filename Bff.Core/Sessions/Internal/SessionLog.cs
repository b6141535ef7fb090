using Microsoft.Extensions.Logging;

namespace Bff.Sessions.Internal;

/// <summary>Log messages of the session feature (event ids 1100-1199). Never logs a key, cookie or token.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(1100, LogLevel.Debug, "Server-side session created for subject {Subject}, expires {Expires:o}.")]
    public static partial void SessionCreated(this ILogger logger, string? subject, DateTimeOffset expires);

    [LoggerMessage(1101, LogLevel.Debug, "A session cookie named no live server-side session; the request is anonymous.")]
    public static partial void SessionNotFound(this ILogger logger);

    [LoggerMessage(1102, LogLevel.Warning, "A server-side session could not be decrypted (Data Protection keys changed or data tampered); it is treated as ended.")]
    public static partial void SessionUnreadable(this ILogger logger, Exception exception);

    [LoggerMessage(1103, LogLevel.Information, "Deleted {Count} expired server-side sessions.")]
    public static partial void ExpiredSessionsDeleted(this ILogger logger, int count);

    [LoggerMessage(1104, LogLevel.Error, "Deleting expired server-side sessions failed; retrying at the next interval.")]
    public static partial void CleanupFailed(this ILogger logger, Exception exception);

    [LoggerMessage(1105, LogLevel.Warning, "Could not subscribe to the session change notices of other instances; remembered sessions are read again after Bff:Session:SharedCacheLifetime at most.")]
    public static partial void SessionNotificationsUnavailable(this ILogger logger, Exception exception);

    // Ending a session kept the ids it had when logout owned it.
    [LoggerMessage(1500, LogLevel.Information, "Session {SessionId} of subject {Subject} ended ({Reason}).")]
    public static partial void SessionEnded(this ILogger logger, string sessionId, string? subject, string reason);

    [LoggerMessage(1501, LogLevel.Warning, "Revoking the refresh token of ended session {SessionId} failed ({Error}); the session is gone either way.")]
    public static partial void RevocationFailed(this ILogger logger, string sessionId, string? error, Exception? exception = null);
}
