using Bff.Telemetry;
using Bff.Tests.Sessions;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace Bff.Tests.Telemetry;

/// <summary>
/// <c>bff.sessions.active</c> with the sessions in a real Redis, read through OpenTelemetry's in-memory
/// exporter: the live sessions of the whole storage (a sorted set by expiry, counted with <c>ZCARD</c>), with
/// no <c>KEYS</c> or <c>SCAN</c>.
/// </summary>
public sealed class RedisActiveSessionsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_active_sessions_gauge_counts_the_sessions_in_Redis()
    {
        var metrics = new List<Metric>();
        await using var rig = await TokenTestRig.StartAsync(
            bffSettings: RedisSessionStoreTests.RedisSettings(redis.Endpoint, redis.KeyPrefix),
            configure: builder => builder.Services.AddOpenTelemetry()
                .WithMetrics(m => m.AddMeter(BffTelemetry.MeterName).AddInMemoryExporter(metrics)));
        await using var monitor = await RedisMonitor.StartAsync(redis.Server);

        using var alice = await rig.SignInAsync("alice");
        using var bob = await rig.SignInAsync("bob");
        rig.Bff.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Contains(metrics, m => m.MeterName == BffTelemetry.MeterName && m.Name == "bff.sessions.active");
        Assert.Equal(2, TelemetryTests.ActiveSessionsOf(rig.Bff));
        using var raw = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        Assert.Equal(2, await raw.GetDatabase().SortedSetLengthAsync(redis.KeyPrefix + "sessions:live"));

        // The shared server runs other tests' commands too: only those naming this test's keys count.
        var seen = await monitor.WaitForAsync("\"ZCARD\" \"" + redis.KeyPrefix + "sessions:live\"");
        var ours = seen.Split('\n').Where(line => line.Contains(redis.KeyPrefix, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(ours, line => line.Contains("\"KEYS\"", StringComparison.OrdinalIgnoreCase) || line.Contains("\"SCAN\"", StringComparison.OrdinalIgnoreCase));
    }
}
