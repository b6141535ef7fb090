using Bff.Tokens.Internal;

namespace Bff.Tests.Tokens;

public class SingleFlightTests
{
    [Fact]
    public async Task Concurrent_callers_of_one_key_share_one_run()
    {
        var flights = new SingleFlight<string, int>();
        var runs = 0;
        var gate = new TaskCompletionSource();

        var callers = Enumerable.Range(0, 50).Select(_ => flights.RunAsync("k", async () =>
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return 42;
        })).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal(42, r));
        Assert.Equal(0, flights.Count);
    }

    [Fact]
    public async Task Different_keys_run_separately_and_a_finished_key_runs_again()
    {
        var flights = new SingleFlight<string, string>();
        var runs = 0;
        Task<string> Work(string v) => Task.FromResult(v + Interlocked.Increment(ref runs));

        var a = await flights.RunAsync("a", () => Work("a"));
        var b = await flights.RunAsync("b", () => Work("b"));
        var again = await flights.RunAsync("a", () => Work("a"));

        Assert.Equal(3, runs);
        Assert.NotEqual(a, again);
        Assert.StartsWith("b", b, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_run_reaches_every_waiter_and_is_not_kept()
    {
        var flights = new SingleFlight<string, int>();
        var gate = new TaskCompletionSource();
        var callers = Enumerable.Range(0, 5).Select(_ => flights.RunAsync("k", async () =>
        {
            await gate.Task;
            throw new InvalidOperationException("boom");
#pragma warning disable CS0162 // Unreachable: the lambda must return int.
            return 0;
#pragma warning restore CS0162
        })).ToList();
        gate.SetResult();

        foreach (var caller in callers)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => caller);
        }

        Assert.Equal(7, await flights.RunAsync("k", () => Task.FromResult(7)));
    }
}
