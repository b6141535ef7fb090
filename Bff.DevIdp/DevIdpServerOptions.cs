namespace Bff.DevIdp;

/// <summary>How <see cref="DevIdpServer.StartAsync"/> starts the in-process DevIdp.</summary>
public sealed class DevIdpServerOptions
{
    /// <summary>Where Kestrel listens; port 0 picks a free port (read it from <see cref="DevIdpServer.BaseAddress"/>). Defaults to <c>http://127.0.0.1:0</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>A folder of realm files, or one realm file. Defaults to the repository's <c>realm/</c> folder (or <c>DevIdp:RealmsPath</c> in <see cref="Configuration"/>).</summary>
    public string? RealmsPath { get; set; }

    /// <summary>Overrides every realm's <c>accessTokenLifespan</c> (whole seconds). Defaults to null: the realm file's value.</summary>
    public TimeSpan? AccessTokenLifespan { get; set; }

    /// <summary>Extra configuration (for example <c>Logging:LogLevel:Default</c>). Defaults to empty.</summary>
    public IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The clock for SSO session idle and max lifespans. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
