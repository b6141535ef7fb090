using Bff.Bench;

namespace Bff.Tests.Bench;

/// <summary>The harness's own rule for when a warm-up counts as settled.</summary>
public sealed class BenchHarnessTests
{
    [Theory]
    [InlineData(31, 1_000, false)] // a loaded round: few methods, but still 31 per 1,000 requests
    [InlineData(400, 20_000, false)]
    [InlineData(15, 20_000, true)] // steady state on a fast path
    [InlineData(4, 50, true)] // a slow path's round: too few methods to mean anything
    public void A_warm_up_round_is_quiet_by_methods_compiled_per_request_served(long methods, long requests, bool quiet) =>
        Assert.Equal(quiet, PairMeasurer.IsQuiet(methods, requests));
}
