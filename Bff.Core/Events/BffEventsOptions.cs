namespace Bff.Events;

/// <summary>
/// <c>GET /bff/events</c>, the SPA's live session events (section <c>Bff:Events</c>).
/// </summary>
public sealed class BffEventsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Bff:Events";

    /// <summary>Whether <c>/bff/events</c> is mapped. Defaults to <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long before the session expires (idle or absolute, whichever comes first) the stream sends
    /// <c>expiring</c>. Defaults to 2 minutes.
    /// </summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often an idle stream sends a comment line, so that proxies and load balancers keep it open,
    /// and checks that its session still exists. Defaults to 15 seconds.
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Open streams allowed per session (one per tab); one more gets 429. Defaults to 8.</summary>
    public int MaxStreamsPerSession { get; set; } = 8;

    /// <summary>Open streams allowed per instance; one more gets 503. Defaults to 10000.</summary>
    public int MaxStreams { get; set; } = 10_000;
}
