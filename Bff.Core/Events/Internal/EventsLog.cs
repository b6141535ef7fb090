using Microsoft.Extensions.Logging;

namespace Bff.Events.Internal;

/// <summary>Log messages of the session event streams (event ids 4700-4799). Never a session key or a token.</summary>
internal static partial class EventsLog
{
    [LoggerMessage(4700, LogLevel.Warning, "A session event stream could not read its session; it tries again at the next heartbeat.")]
    public static partial void SessionWatchFailed(this ILogger logger, Exception exception);

    [LoggerMessage(4701, LogLevel.Warning, "A session end could not be told to the other instances ({Error}); their streams notice at their next heartbeat.")]
    public static partial void SessionEndNotPublished(this ILogger logger, string error);

    [LoggerMessage(4702, LogLevel.Warning, "A session event stream was refused: {Reason}.")]
    public static partial void StreamRefused(this ILogger logger, string reason);
}
