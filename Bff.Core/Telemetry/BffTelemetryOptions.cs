namespace Bff.Telemetry;

/// <summary>The telemetry an app exposes itself (section <c>Bff:Telemetry</c>); OTLP needs no key here (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
public sealed class BffTelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Bff:Telemetry";

    /// <summary>
    /// The path of a Prometheus scrape endpoint (e.g. <c>/metrics</c>); empty for none. The endpoint is
    /// not authenticated, so it answers only requests that did not come through a forwarding proxy
    /// (no <c>X-Forwarded-For</c>): a scraper inside the network reaches it, the public internet through
    /// the reverse proxy does not. Defaults to empty (off).
    /// </summary>
    public string? PrometheusPath { get; set; }
}
