using Microsoft.Extensions.Logging;

namespace Bff.Health.Internal;

/// <summary>Log messages of the health checks and the start-up configuration check (event ids 6000-6099).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(6000, LogLevel.Warning, "Configuration check: {Setting}: {Problem}")]
    public static partial void ConfigurationWarning(ILogger logger, string setting, string problem);

    [LoggerMessage(6001, LogLevel.Information, "Configuration check against {Address} finished with {Count} warning(s).")]
    public static partial void ConfigurationChecked(ILogger logger, string address, int count);
}
