using Microsoft.Extensions.Logging;

namespace Bff.Storage.PostgreSql;

/// <summary>The PostgreSQL storage's log messages.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Applying {Count} migration(s) of {Context}: {Migrations}")]
    public static partial void Migrating(this ILogger logger, string context, int count, IReadOnlyList<string> migrations);
}
