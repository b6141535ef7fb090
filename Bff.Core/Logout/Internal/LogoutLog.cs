using Microsoft.Extensions.Logging;

namespace Bff.Logout.Internal;

/// <summary>
/// Log messages of logout and back-channel logout (event ids 1502-1599; 1500 and 1501, ending a
/// session and revoking its refresh token, are in SessionLog).
/// Never logs a token, a cookie or a session key (only the opaque session id shown to users).
/// </summary>
internal static partial class LogoutLog
{
    [LoggerMessage(1502, LogLevel.Warning, "Logout refused: {Reason}. Nothing was logged out.")]
    public static partial void LogoutRefused(this ILogger logger, string reason);

    [LoggerMessage(1503, LogLevel.Warning, "Bff:LogoutMode is Keycloak but the identity provider's discovery document has no end_session_endpoint; logged out locally only.")]
    public static partial void NoEndSessionEndpoint(this ILogger logger);

    [LoggerMessage(1504, LogLevel.Warning, "Bff:LogoutMode is Keycloak but the identity provider's configuration could not be loaded; logged out locally only.")]
    public static partial void EndSessionConfigurationFailed(this ILogger logger, Exception exception);

    [LoggerMessage(1505, LogLevel.Warning, "Back-channel logout token refused: {Reason}.")]
    public static partial void LogoutTokenRefused(this ILogger logger, string reason);

    [LoggerMessage(1506, LogLevel.Information, "Back-channel logout for sid {SessionId} / sub {Subject} ended {Count} session(s).")]
    public static partial void BackchannelLogout(this ILogger logger, string? sessionId, string? subject, int count);

    [LoggerMessage(1507, LogLevel.Error, "The logout-token replay cache in Redis cannot be reached; the logout token is refused.")]
    public static partial void ReplayCacheUnavailable(this ILogger logger, Exception exception);
}
