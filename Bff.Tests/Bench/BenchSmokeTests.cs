using Bff.Bench;

namespace Bff.Tests.Bench;

/// <summary>
/// The benchmark harness (Bff.Bench) in its smoke mode: it still starts every server as a child
/// process (DevIdp, downstream API, BFF, the peer host, Bff.Web), signs in on the BFF and the peer and
/// prints every row, the load coming from the in-process generator instead of wrk. It asserts nothing
/// about speed, only that the harness works and what the rows show of behaviour: the refresh storm
/// makes one refresh and serves every request, and our cookie is smaller than the peer's.
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task The_smoke_run_prints_every_row_and_the_storm_refreshes_once()
    {
        var report = await BenchRunner.RunAsync(BenchOptions.SmokeRun, TextWriter.Null);
        var table = report.ToMarkdown();

        Assert.Contains("| Row | Measured | Baseline (same run) | Result | Target | Met |", table, StringComparison.Ordinal);
        foreach (var row in new[] { "1. Local API GET", "2. Proxied remote API", "3. Claims endpoint vs peer", "4. Proxied call vs peer", "5. Cookie header", "6. Refresh storm", "7a. Session store lookup", "7b. Resident memory", "8. Start to ready" })
        {
            Assert.Contains($"| {row} | ", table, StringComparison.Ordinal);
        }

        Assert.Equal(1, report.StormRefreshCalls);
        Assert.Equal(BenchOptions.SmokeRun.StormRequests, report.StormSucceeded);
        Assert.DoesNotContain("failed**", table, StringComparison.Ordinal);
        Assert.True(report.Rows.Single(r => r.Name == "5. Cookie header").Met, "our Cookie header is over 1 KB");
        Assert.Contains($"refresh calls: 1; served: {BenchOptions.SmokeRun.StormRequests}/{BenchOptions.SmokeRun.StormRequests}", table, StringComparison.Ordinal);
    }
}
