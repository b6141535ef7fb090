namespace Bff.Web.Extensions;

/// <summary>The app's OpenTelemetry exporters (section <c>Bff:Telemetry</c>).</summary>
public sealed class TelemetryOptions
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
