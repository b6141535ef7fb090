using System.Diagnostics;

namespace Bff.Bench;

/// <summary>The outcome of one load run: throughput and latency of the successful requests.</summary>
/// <remarks>
/// <see cref="AllocatedBytesPerRequest"/> and <see cref="MethodsJitted"/> are process-wide (server,
/// load generator and anything else running), for finding where a path spends, not for the table.
/// </remarks>
internal sealed record LoadResult(int Succeeded, int Failed, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Succeeded / Elapsed.TotalSeconds;

    public long AllocatedBytesPerRequest { get; init; }

    public long MethodsJitted { get; init; }

    public int Gen0Collections { get; init; }

    public int Gen2Collections { get; init; }
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
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var jittedBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var gen0Before = GC.CollectionCount(0);
        var gen2Before = GC.CollectionCount(2);
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
        var requests = Math.Max(1, all.Length + failures.Sum());
        return new LoadResult(all.Length, failures.Sum(), elapsed, Percentile(all, 0.50), Percentile(all, 0.99))
        {
            AllocatedBytesPerRequest = (GC.GetTotalAllocatedBytes() - allocatedBefore) / requests,
            MethodsJitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jittedBefore,
            Gen0Collections = GC.CollectionCount(0) - gen0Before,
            Gen2Collections = GC.CollectionCount(2) - gen2Before,
        };
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
