using Bff.Bench;

namespace Bff.Tests.Bench;

/// <summary>The harness's own rules: when a warm-up counts as settled, and what a failing row leaves in the table.</summary>
public sealed class BenchHarnessTests
{
    [Theory]
    [InlineData(31, 1_000, false)] // a loaded round: few methods, but still 31 per 1,000 requests
    [InlineData(400, 20_000, false)]
    [InlineData(15, 20_000, true)] // steady state on a fast path
    [InlineData(4, 50, true)] // a slow path's round: too few methods to mean anything
    public void A_warm_up_round_is_quiet_by_methods_compiled_per_request_served(long methods, long requests, bool quiet) =>
        Assert.Equal(quiet, PairMeasurer.IsQuiet(methods, requests));

    [Fact]
    public async Task A_row_that_throws_is_listed_as_not_measured_and_the_rows_it_added_stay()
    {
        var report = new BenchReport { Options = BenchOptions.SmokeRun, LoadDescription = "none" };
        await report.MeasureRowsAsync(["7b. Resident memory", "8. Start to ready"], TextWriter.Null, () =>
        {
            report.Rows.Add(new BenchRow("7b. Resident memory", "150 MB", "none", "150 MB", "< 200 MB", true));
            throw new InvalidOperationException("the child exited | before ready");
        });
        await report.MeasureRowsAsync(["1. Local API GET"], TextWriter.Null, () => Task.CompletedTask);

        Assert.Equal(["7b. Resident memory", "8. Start to ready"], report.Rows.Select(r => r.Name));
        Assert.True(report.Rows[0].Met);
        Assert.Equal("not measured", report.Rows[1].Result);
        Assert.Contains("the child exited / before ready", report.Rows[1].Measured, StringComparison.Ordinal);
        Assert.True(report.AnyNotMeasured);
        Assert.Contains("| 8. Start to ready | not measured: InvalidOperationException", report.ToMarkdown(), StringComparison.Ordinal);
    }
}
