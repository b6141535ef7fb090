using Bff.Bench;

namespace Bff.Tests.Bench;

/// <summary>The harness's own rules for when a warm-up counts as settled, and on which servers.</summary>
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
    public void A_proxied_pair_waits_for_the_downstream_API_to_settle_as_well()
    {
        object bff = new(), downstream = new(), peer = new();

        // Both halves on one BFF, both forwarding to the downstream API: the API's JIT counts too.
        Assert.Equal([bff, downstream], PairMeasurer.ServersToSettle(bff, bff, [downstream]));
        Assert.Equal([bff, peer, downstream], PairMeasurer.ServersToSettle(bff, peer, [downstream]));
        Assert.Equal([bff], PairMeasurer.ServersToSettle(bff, bff, []));
    }

    [Fact]
    public void The_start_row_takes_each_figure_s_median_over_the_starts()
    {
        static ChildProcessBench.StartTimes Start(int listening, int ready, int cpu) =>
            new(TimeSpan.FromMilliseconds(listening), TimeSpan.FromMilliseconds(ready), TimeSpan.FromMilliseconds(cpu));

        // One slow outlier does not move the median; each figure is ordered on its own.
        var odd = ChildProcessBench.StartTimes.Median([Start(500, 700, 600), Start(900, 1400, 650), Start(450, 650, 620)]);
        Assert.Equal(Start(500, 700, 620), odd);

        // An even count: the mean of the middle two.
        var even = ChildProcessBench.StartTimes.Median([Start(400, 600, 500), Start(600, 800, 700)]);
        Assert.Equal(Start(500, 700, 600), even);
        Assert.Throws<ArgumentException>(() => ChildProcessBench.StartTimes.Median([]));
    }

    [Fact]
    public void A_path_s_parts_add_up_to_one_result_with_percentiles_weighted_by_requests()
    {
        var combined = PairMeasurer.Combine(
        [
            new LoadResult(3000, 1, TimeSpan.FromSeconds(2), P50Ms: 1.0, P99Ms: 4.0),
            new LoadResult(1000, 0, TimeSpan.FromSeconds(2), P50Ms: 3.0, P99Ms: 8.0),
        ]);

        Assert.Equal(4000, combined.Succeeded);
        Assert.Equal(1, combined.Failed);
        Assert.Equal(TimeSpan.FromSeconds(4), combined.Elapsed);
        Assert.Equal(1000, combined.RequestsPerSecond);
        Assert.Equal(1.5, combined.P50Ms, 9);
        Assert.Equal(5.0, combined.P99Ms, 9);
    }
}
