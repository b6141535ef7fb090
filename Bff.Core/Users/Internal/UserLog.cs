using Microsoft.Extensions.Logging;

namespace Bff.Users.Internal;

/// <summary>Log messages of the user feature (event ids 1200-1299).</summary>
internal static partial class UserLog
{
    [LoggerMessage(1200, LogLevel.Information, "Linked pre-existing local user {UserId} to subject {Subject}.")]
    public static partial void UserLinked(this ILogger logger, Guid userId, string subject);

    [LoggerMessage(1201, LogLevel.Warning, "Login of subject {Subject} refused: {Count} unlinked local users match by {By}.")]
    public static partial void AmbiguousLink(this ILogger logger, string subject, string by, int count);

    [LoggerMessage(1202, LogLevel.Information, "Mapping subject {Subject} again: the user changed in the store meanwhile (round {Round}).")]
    public static partial void UserMappingConflict(this ILogger logger, string subject, int round);
}
