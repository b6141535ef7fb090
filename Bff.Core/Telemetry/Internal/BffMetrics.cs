using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bff.Telemetry.Internal;

/// <summary>
/// The BFF's instruments on the <c>Bff</c> meter (created through <see cref="IMeterFactory"/>, so each
/// host has its own). Each method is one call on the request path: with no listener an instrument's
/// <c>Add</c>/<c>Record</c> returns at its first check, and the token-endpoint clock is read only while
/// the histogram is listened to, so an app that collects nothing pays nothing measurable.
/// </summary>
internal sealed class BffMetrics
{
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _sessionsEnded;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _refreshWaiters;
    private readonly Histogram<double> _tokenEndpointDuration;
    private readonly Counter<long> _proxyRequests;
    private readonly Counter<long> _backchannelLogouts;
    private readonly Counter<long> _bearerRejections;

    public BffMetrics(IMeterFactory meterFactory, IActiveSessionsSource activeSessions)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(activeSessions);
        var meter = meterFactory.Create(BffTelemetry.MeterName);
        _sessionsStarted = meter.CreateCounter<long>("bff.sessions.started", "{session}", "Sessions created by a sign-in.");
        _sessionsEnded = meter.CreateCounter<long>("bff.sessions.ended", "{session}", "Sessions ended, by reason.");
        meter.CreateObservableGauge("bff.sessions.active", activeSessions.Observe, "{session}", "Live (unexpired) sessions in the session storage.");
        _refreshes = meter.CreateCounter<long>("bff.token_refreshes", "{refresh}", "Refresh-token redemptions, by result: succeeded, refused, transient_failure.");
        _refreshWaiters = meter.CreateCounter<long>("bff.token_refresh.waiters", "{request}", "Requests that joined a refresh already running in this process instead of starting one.");
        _tokenEndpointDuration = meter.CreateHistogram(
            "bff.token_endpoint.duration",
            "s",
            "Time of the BFF's own calls to the identity provider's token and revocation endpoints.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _proxyRequests = meter.CreateCounter<long>("bff.proxy.requests", "{request}", "Requests forwarded to remote APIs, by remote API and status code.");
        _backchannelLogouts = meter.CreateCounter<long>("bff.backchannel_logouts", "{request}", "Back-channel logout requests, by result: accepted, refused, unavailable.");
        _bearerRejections = meter.CreateCounter<long>("bff.bearer_token.rejections", "{request}", "API calls whose bearer token was refused.");
    }

    public void SessionStarted() => _sessionsStarted.Add(1);

    // The reason in its wire form (logout, idle_timeout, ...), as the event stream names it.
    public void SessionEnded(string reason) =>
        _sessionsEnded.Add(1, new KeyValuePair<string, object?>(BffTags.EndReason, reason));

    public void RefreshSucceeded() => _refreshes.Add(1, new KeyValuePair<string, object?>(BffTags.Result, "succeeded"));

    public void RefreshRefused() => _refreshes.Add(1, new KeyValuePair<string, object?>(BffTags.Result, "refused"));

    public void RefreshFailedTransiently() => _refreshes.Add(1, new KeyValuePair<string, object?>(BffTags.Result, "transient_failure"));

    public void RefreshJoined() => _refreshWaiters.Add(1);

    /// <summary>A timestamp for <see cref="TokenEndpointCalled"/>, or 0 when nobody listens (no clock read).</summary>
    public long TokenEndpointStarting() => _tokenEndpointDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    public void TokenEndpointCalled(long started, string operation, string result)
    {
        if (started != 0)
        {
            _tokenEndpointDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(BffTags.Operation, operation),
                new KeyValuePair<string, object?>(BffTags.Result, result));
        }
    }

    /// <summary>Whether anything listens to <c>bff.proxy.requests</c> now.</summary>
    public bool ProxyRequestsObserved => _proxyRequests.Enabled;

    public void ProxyRequest(string route, int statusCode)
    {
        if (_proxyRequests.Enabled)
        {
            _proxyRequests.Add(1, new KeyValuePair<string, object?>(BffTags.Route, route), new KeyValuePair<string, object?>(BffTags.StatusCode, statusCode));
        }
    }

    public void BackchannelLogout(string result) => _backchannelLogouts.Add(1, new KeyValuePair<string, object?>(BffTags.Result, result));

    public void BearerRejected(string reason) => _bearerRejections.Add(1, new KeyValuePair<string, object?>(BffTags.RejectionReason, reason));
}
