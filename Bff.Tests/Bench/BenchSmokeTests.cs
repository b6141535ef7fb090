using Bff.Bench;

namespace Bff.Tests.Bench;

/// <summary>
/// The benchmark harness (Bff.Bench) in its smoke mode, in-process: it still starts the whole stack,
/// signs in and prints every row. It asserts nothing about speed, only that the harness works and that
/// the refresh storm it drives behaves (one refresh, every request served).
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task The_smoke_run_prints_every_row_and_the_storm_refreshes_once()
    {
        var report = await BenchRunner.RunAsync(BenchOptions.SmokeRun, TextWriter.Null);
        var table = report.ToMarkdown();

        Assert.Contains("| Row | Measured | Baseline (same run) | Result | Target | Met |", table, StringComparison.Ordinal);
        foreach (var row in new[] { "1. Local API GET", "2. Proxied remote API", "3. Refresh storm", "4a. Session store lookup", "4b. Resident memory", "5. Start to ready" })
        {
            Assert.Contains($"| {row} | ", table, StringComparison.Ordinal);
        }

        Assert.Equal(1, report.StormRefreshCalls);
        Assert.Equal(BenchOptions.SmokeRun.StormRequests, report.StormSucceeded);
        Assert.Contains($"refresh calls: 1; served: {BenchOptions.SmokeRun.StormRequests}/{BenchOptions.SmokeRun.StormRequests}", table, StringComparison.Ordinal);
    }
}
