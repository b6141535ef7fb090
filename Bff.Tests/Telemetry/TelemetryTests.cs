using System.Diagnostics;
using System.Net;
using Bff.Telemetry;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bff.Tests.Telemetry;

/// <summary>
/// The <c>Bff</c> meter and activity source as an operator's collector sees them, read through
/// OpenTelemetry's in-memory exporters added to the app's own OpenTelemetry setup: a sign-in, a
/// refresh and a proxied call show up as spans and measurements, and no tag carries a token, the
/// cookie or the session key.
/// </summary>
/// <remarks>
/// Note: listeners are process-wide, so hosts of other test classes running at the same time may add
/// measurements; the assertions look for this test's values, never exact totals.
/// </remarks>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Sign_in_refresh_and_a_proxied_call_are_measured_and_traced_without_secrets()
    {
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        await using var rig = await TokenTestRig.StartAsync(configure: builder =>
        {
            // What an app that collects telemetry adds: the names from BffTelemetry, and an exporter.
            builder.Services.AddOpenTelemetry()
                .WithMetrics(m => m.AddMeter(BffTelemetry.MeterName).AddInMemoryExporter(metrics))
                .WithTracing(t => t.AddSource(BffTelemetry.ActivitySourceName, "Microsoft.AspNetCore").AddInMemoryExporter(spans));
        });

        using var browser = await rig.SignInAsync("alice");
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        using var refreshed = await browser.GetApiAsync("/api/remote/whoami");
        using var proxied = await browser.GetApiAsync("/api/remote/whoami");
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        rig.Bff.Services.GetRequiredService<MeterProvider>().ForceFlush();
        rig.Bff.Services.GetRequiredService<TracerProvider>().ForceFlush();

        // Spans: sign-in, refresh and proxy, each with its result.
        Activity[] ours;
        lock (spans)
        {
            ours = [.. spans.Where(s => s.Source.Name == "Bff")];
        }

        Assert.Contains(ours, s => s.OperationName == "bff.sign_in" && (string?)s.GetTagItem("bff.result") == "succeeded");
        Assert.Contains(ours, s => s.OperationName == "bff.token_refresh" && (string?)s.GetTagItem("bff.result") == "succeeded");
        Assert.Contains(ours, s => s.OperationName == "bff.proxy" && (string?)s.GetTagItem("bff.remote_api") == "/api/remote" && Equals(s.GetTagItem("http.response.status_code"), 200));

        // Measurements of the same steps.
        var points = metrics.Where(m => m.MeterName == "Bff").SelectMany(m => Points(m).Select(p => (m.Name, Point: p))).ToList();
        Assert.Contains(points, p => p.Name == "bff.sessions.started" && p.Point.GetSumLong() >= 1);
        Assert.Contains(points, p => p.Name == "bff.sessions.active");
        Assert.True(ActiveSessionsOf(rig.Bff) >= 1);
        Assert.Contains(points, p => p.Name == "bff.token_refreshes" && Tag(p.Point, "bff.result") == "succeeded" && p.Point.GetSumLong() >= 1);
        Assert.Contains(points, p => p.Name == "bff.token_endpoint.duration" && Tag(p.Point, "bff.token_endpoint.operation") == "refresh" && p.Point.GetHistogramCount() >= 1);
        Assert.Contains(points, p => p.Name == "bff.proxy.requests" && Tag(p.Point, "bff.remote_api") == "/api/remote" && Equals(TagValue(p.Point, "http.response.status_code"), 200) && p.Point.GetSumLong() >= 2);

        // Nothing secret in any tag value or span attribute.
        var secrets = new[] { session.Key, session.Tokens!.AccessToken, session.Tokens.RefreshToken!, session.Tokens.IdToken! }
            .Concat(browser.CookiesFor(rig.Bff.BaseAddress).Select(c => c.Value))
            .Where(s => s.Length >= 16)
            .ToList();
        Assert.NotEmpty(secrets);
        var values = points.SelectMany(p => Tags(p.Point).Select(t => t.Value?.ToString() ?? ""))
            .Concat(ours.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString() ?? "")))
            .Concat(ours.Select(s => s.DisplayName + " " + s.StatusDescription))
            .ToList();
        Assert.NotEmpty(values);
        foreach (var value in values)
        {
            Assert.DoesNotContain(secrets, secret => value.Contains(secret, StringComparison.Ordinal) || (value.Length >= 16 && secret.Contains(value, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task The_Prometheus_endpoint_serves_the_Bff_meter_when_configured_and_not_through_a_proxy()
    {
        await using var rig = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?> { ["Bff:Telemetry:PrometheusPath"] = "/metrics" });
        using var browser = await rig.SignInAsync("alice");
        using var http = rig.Bff.CreateRawClient();

        // The exporter caches a scrape for a moment: poll until the sign-in shows.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        do
        {
            using var scrape = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            text = await scrape.Content.ReadAsStringAsync();
        }
        while (!text.Contains("bff_sessions_started", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());

        Assert.Contains("bff_sessions_started", text, StringComparison.Ordinal);
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var throughProxy = await http.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.NotFound, throughProxy.StatusCode);

        static async Task<bool> Delay()
        {
            await Task.Delay(500);
            return true;
        }
    }

    [Fact]
    public async Task Without_an_exporter_nothing_listens_to_the_Bff_source()
    {
        await using var rig = await TokenTestRig.StartAsync();

        Assert.Null(rig.Bff.Services.GetService<TracerProvider>());
        Assert.Null(rig.Bff.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task A_listener_that_starts_after_the_first_proxied_calls_counts_the_next_ones()
    {
        // The proxy checks for a listener on every call (it skips the counting wrapper when nobody
        // listens), so one attached to a running app still hears every call from then on.
        await using var rig = await TokenTestRig.StartAsync();
        using var browser = await rig.SignInAsync("alice");
        using (var unobserved = await browser.GetApiAsync("/api/remote/whoami"))
        {
            Assert.Equal(HttpStatusCode.OK, unobserved.StatusCode);
        }

        var factory = rig.Bff.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var counted = new List<(long Value, object? Route, object? Status)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "bff.proxy.requests" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            object? route = null, status = null;
            foreach (var tag in tags)
            {
                route = tag.Key == "bff.remote_api" ? tag.Value : route;
                status = tag.Key == "http.response.status_code" ? tag.Value : status;
            }

            lock (counted)
            {
                counted.Add((value, route, status));
            }
        });
        listener.Start();

        using var ok = await browser.GetApiAsync("/api/remote/whoami");
        using var refused = await browser.GetApiAsync("/api/remote/whoami", antiforgery: false);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // The count is taken once the forwarder has finished, which may be just after the client has the answer.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref counted).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        lock (counted)
        {
            Assert.Equal([(1L, (object?)"/api/remote", (object?)200)], counted);
        }
    }

    /// <summary>
    /// This host's own <c>bff.sessions.active</c>: a gauge's exported value is the last one observed,
    /// which may be another host's (the exporter hears every meter named Bff in the process).
    /// </summary>
    internal static long ActiveSessionsOf(BffHost host)
    {
        var factory = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        long? value = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "bff.sessions.active" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException("The host's bff.sessions.active was not observed.");
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    private static object? TagValue(MetricPoint point, string name) => Tags(point).FirstOrDefault(t => t.Key == name).Value;

    private static string? Tag(MetricPoint point, string name) => TagValue(point, name) as string;
}
