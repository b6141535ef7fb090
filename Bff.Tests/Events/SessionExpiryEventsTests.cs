using System.Diagnostics;
using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Events;

/// <summary>
/// The stream's own watch over its session, each with a stack configured for it: the warning before
/// expiry, idle and absolute expiry, the per-session limit, and closing at shutdown.
/// </summary>
public sealed class SessionExpiryEventsTests
{
    private static Task<TokenTestRig> StartAsync(params (string Key, string Value)[] settings) =>
        TokenTestRig.StartAsync(bffSettings: settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    /// <summary>The events up to <c>ended</c>, which must come within <paramref name="timeout"/>.</summary>
    private static async Task<List<EventFrame>> EventsUntilEndedAsync(EventStreamTab tab, TimeSpan timeout)
    {
        var events = new List<EventFrame>();
        while (events.LastOrDefault()?.Event != "ended")
        {
            events.Add(await tab.NextEventAsync(timeout));
        }

        return events;
    }

    [Fact]
    public async Task An_unused_session_is_announced_as_expiring_then_ends_with_idle_timeout()
    {
        await using var rig = await StartAsync(("Bff:Session:IdleTimeout", "00:00:06"), ("Bff:Events:ExpiryWarning", "00:00:04"));
        using var alice = await rig.SignInAsync("alice");
        await using var tab = await EventStreamTab.OpenAsync(alice, rig.Bff.BaseAddress);

        var events = await EventsUntilEndedAsync(tab, TimeSpan.FromSeconds(30));

        var warning = events.Single(e => e.Event == "expiring").Json;
        Assert.Equal("idle", warning.GetProperty("expiry").GetString());
        Assert.InRange(warning.GetProperty("secondsLeft").GetInt32(), 0, 4);
        Assert.True(warning.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-30));
        Assert.Equal("idle_timeout", events[^1].Json.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task An_active_session_at_its_absolute_lifetime_ends_with_absolute_timeout()
    {
        await using var rig = await StartAsync(("Bff:Session:IdleTimeout", "00:00:04"), ("Bff:Session:AbsoluteLifetime", "00:00:08"), ("Bff:Events:ExpiryWarning", "00:00:01"));
        using var alice = await rig.SignInAsync("alice");
        await using var tab = await EventStreamTab.OpenAsync(alice, rig.Bff.BaseAddress);

        // The user keeps working (each call slides the idle expiry), so only the absolute lifetime ends it.
        using var working = new CancellationTokenSource();
        var activity = Task.Run(async () =>
        {
            while (!working.IsCancellationRequested)
            {
                using var _ = await alice.GetApiAsync("/bff/user");
                await Task.Delay(300);
            }
        });
        var events = await EventsUntilEndedAsync(tab, TimeSpan.FromSeconds(30));
        await working.CancelAsync();
        await activity;

        Assert.True(events[^1].Json.GetProperty("reason").GetString() == "absolute_timeout", string.Join(" | ", events.Select(e => e.Event + " " + e.Data)) + " at " + DateTimeOffset.UtcNow.ToString("O"));
    }

    [Fact]
    public async Task A_long_session_gets_its_expiry_at_once_and_no_warning()
    {
        await using var rig = await StartAsync(("Bff:Events:Heartbeat", "00:00:01"));
        using var alice = await rig.SignInAsync("alice");
        await using var tab = await EventStreamTab.OpenAsync(alice, rig.Bff.BaseAddress);

        var first = await tab.NextEventAsync();
        var later = await tab.UntilHeartbeatsAsync(2);

        Assert.Equal("session", first.Event);
        Assert.Equal("idle", first.Json.GetProperty("expiry").GetString());
        Assert.InRange(first.Json.GetProperty("secondsLeft").GetInt32(), 1700, 1800);
        Assert.All(later, f => Assert.Equal("heartbeat", f.Event));
    }

    [Fact]
    public async Task Streams_per_session_are_limited_and_a_closed_one_frees_its_place()
    {
        await using var rig = await StartAsync(("Bff:Events:MaxStreamsPerSession", "1"));
        using var alice = await rig.SignInAsync("alice");
        var first = await EventStreamTab.OpenAsync(alice, rig.Bff.BaseAddress);

        var (http, refused) = await EventStreamTab.RequestAsync(alice, rig.Bff.BaseAddress);
        using (http)
        using (refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        await first.DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (retryHttp, retry) = await EventStreamTab.RequestAsync(alice, rig.Bff.BaseAddress);
            using (retryHttp)
            using (retry)
            {
                if (retry.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "The closed stream's place was never freed.");
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Stopping_the_app_closes_the_open_streams_at_once()
    {
        await using var rig = await StartAsync();
        using var alice = await rig.SignInAsync("alice");
        await using var tab = await EventStreamTab.OpenAsync(alice, rig.Bff.BaseAddress);
        Assert.Equal("session", (await tab.NextEventAsync()).Event);

        var watch = Stopwatch.StartNew();
        await rig.Bff.App.StopAsync();

        // The host's own shutdown timeout is 30 s: an open stream holding it would show here.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"Stopping took {watch.Elapsed}.");
        Assert.True(await tab.ClosedAsync(TimeSpan.FromSeconds(10)));
    }
}
