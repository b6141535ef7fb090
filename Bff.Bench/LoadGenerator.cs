using System.Diagnostics;

namespace Bff.Bench;

/// <summary>The outcome of one load run: throughput and latency of the successful requests.</summary>
internal sealed record LoadResult(int Succeeded, int Failed, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Succeeded / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed-loop HTTP load generator: N workers, each sending its next request as soon as the previous
/// answer is read, for a fixed time; every latency is recorded.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(HttpClient client, Func<HttpRequestMessage> request, int workers, TimeSpan duration)
    {
        var latencies = new List<double>[workers];
        var failures = new int[workers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var message = request();
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                    if (response.IsSuccessStatusCode)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                    else
                    {
                        failures[worker]++;
                    }
                }
                catch (HttpRequestException)
                {
                    failures[worker]++;
                }
            }
        })));
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(all.Length, failures.Sum(), elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    /// <summary>The nearest-rank percentile of sorted values (NaN when there are none).</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
