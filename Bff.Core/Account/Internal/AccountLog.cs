using Microsoft.Extensions.Logging;

namespace Bff.Account.Internal;

/// <summary>Log messages of the account actions (event ids 4800-4899). Never a token, code or cookie.</summary>
internal static partial class AccountLog
{
    [LoggerMessage(4800, LogLevel.Information, "Account action {Action} refused: {Reason}.")]
    public static partial void AccountActionRefused(this ILogger logger, string action, string reason);

    [LoggerMessage(4801, LogLevel.Information, "Account action {Action} started for local user {UserId}.")]
    public static partial void AccountActionStarted(this ILogger logger, string action, string? userId);

    [LoggerMessage(4802, LogLevel.Information, "Account action {Action} came back with status {Status}.")]
    public static partial void AccountActionFinished(this ILogger logger, string action, string status);

    [LoggerMessage(4803, LogLevel.Warning, "Account action {Action} came back signed in as another user; the login is refused.")]
    public static partial void AccountActionOtherUser(this ILogger logger, string action);
}
