using Bff.Bench;
using Bff.Tests.TestInfra.Servers;

namespace Bff.Tests.Bench;

/// <summary>
/// The benchmark harness (Bff.Bench) in its smoke mode: it still starts every server as a child
/// process (DevIdp, downstream API, BFF, the peer host, Bff.Web), signs in on the BFF and the peer and
/// prints every row, the load coming from the in-process generator instead of wrk. It asserts nothing
/// about speed, only that the harness works and what the rows show of behaviour: the refresh storm
/// makes one refresh and serves every request, and our cookie is smaller than the peer's. Every row
/// runs twice, on LiteDB and on Redis sessions (the test run's Redis server), and the storm once more
/// over two instances on that Redis behind a real nginx.
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task The_smoke_run_prints_every_row_and_the_storm_refreshes_once()
    {
        var redis = await RedisServer.SharedAsync();
        var report = await BenchRunner.RunAsync(BenchOptions.SmokeRun with { RedisEndpoint = redis.Endpoint }, TextWriter.Null);
        var table = report.ToMarkdown();

        Assert.Contains("| Row | Measured | Baseline (same run) | Result | Target | Met |", table, StringComparison.Ordinal);
        string[] rows =
        [
            "1. Local API GET", "2. Proxied remote API", "3. Claims endpoint vs peer", "4. Proxied call vs peer", "5. Cookie header", "6. Refresh storm", "7a. Session store lookup", "7b. Resident memory", "8. Start to ready",
            "1R. Local API GET, Redis sessions", "2R. Proxied remote API, Redis sessions", "3R. Claims endpoint vs peer, Redis sessions", "4R. Proxied call vs peer, Redis sessions",
            "5R. Cookie header, Redis sessions", "6R. Refresh storm, Redis sessions", ClusterStormBench.RowName, "7aR. Session store lookup, Redis", "7bR. Resident memory, Redis sessions", "8R. Start to ready, Redis sessions",
        ];
        Assert.Equal(rows.Order(StringComparer.Ordinal), report.Rows.Select(r => r.Name));

        Assert.All(report.Rows, row => Assert.True(row.Failure is null, $"{row.Name}: {row.Failure}"));
        Assert.Equal(
            [("LiteDB", 1, BenchOptions.SmokeRun.StormRequests), ("Redis", 1, BenchOptions.SmokeRun.StormRequests), ("Redis, two instances", 1, BenchOptions.SmokeRun.StormRequests)],
            report.Storms);
        Assert.True(report.Rows.Single(r => r.Name == ClusterStormBench.RowName).Met, "the two-instance storm was not served by both instances");
        Assert.DoesNotContain("failed**", table, StringComparison.Ordinal);
        Assert.DoesNotContain(" missed", table, StringComparison.Ordinal);
        Assert.True(report.Rows.Single(r => r.Name == "5. Cookie header").Met, "our Cookie header is over 1 KB");
        Assert.True(report.Rows.Single(r => r.Name == "5R. Cookie header, Redis sessions").Met, "our Cookie header on Redis sessions is over 1 KB");
        Assert.Contains($"refresh calls: 1; served: {BenchOptions.SmokeRun.StormRequests}/{BenchOptions.SmokeRun.StormRequests}", table, StringComparison.Ordinal);
    }
}
