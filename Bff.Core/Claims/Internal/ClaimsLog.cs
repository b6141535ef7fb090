using Microsoft.Extensions.Logging;

namespace Bff.Claims.Internal;

/// <summary>Log messages of the sign-in claims (event ids 1300-1399). Never a token or a claim value beyond the subject.</summary>
internal static partial class ClaimsLog
{
    [LoggerMessage(1300, LogLevel.Warning, "Login refused: the userinfo response's sub differs from the ID token's (OpenID Connect Core 5.3.2).")]
    public static partial void UserInfoSubjectMismatch(this ILogger logger);

    [LoggerMessage(1301, LogLevel.Warning, "The userinfo endpoint could not be used at sign-in ({Reason}); the ID token's claims are used alone.")]
    public static partial void UserInfoUnavailable(this ILogger logger, string reason, Exception? exception);

    [LoggerMessage(1302, LogLevel.Warning, "Token introspection could not be used at sign-in ({Reason}); no roles are read from it.")]
    public static partial void IntrospectionUnavailable(this ILogger logger, string reason, Exception? exception);

    [LoggerMessage(1303, LogLevel.Warning, "Login refused for subject {Subject}: none of the user-name claims ({Claims}) is in the ID token or userinfo (Bff:Users:UserNameClaims); no local user was written.")]
    public static partial void UserNameMissing(this ILogger logger, string subject, string claims);

    [LoggerMessage(1304, LogLevel.Debug, "Roles at sign-in read from {Source}.")]
    public static partial void RolesRead(this ILogger logger, string source);
}
