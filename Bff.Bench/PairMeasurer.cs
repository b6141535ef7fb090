using System.Globalization;
using System.Net;

namespace Bff.Bench;

/// <summary>
/// Measures a path against its baseline in the same run: both warmed up until the servers' JIT has
/// settled, then measured in cycles of the order A B B A, so that a drift of the shared machine's
/// load during the pair weighs on both alike.
/// </summary>
/// <remarks>
/// Important: on a 2-core machine the runtime's tiered JIT recompiles hot methods for tens of seconds
/// after start; a path measured while it does so pays for it. A BFF is a long-lived process, so steady
/// state is what is compared. Rounds of <see cref="_warmup"/> per path repeat until the servers under
/// test (and those behind them, the downstream API of a proxied pair) have been quiet for <see cref="QuietRoundsNeeded"/> rounds in a row (at most
/// <see cref="MaxWarmupRounds"/>; one in the smoke run). Quiet is counted per request served, not per
/// round: on a loaded machine a 2 s round serves few requests, so it compiles few methods while the
/// JIT is nowhere near done (the tiered JIT promotes a method after it has been called often enough,
/// so its pending work is a matter of calls, not of seconds). Two rounds, because the runtime delays
/// tier-1 promotion while new methods keep appearing, and a burst of recompilation can follow one
/// quiet round.
/// </remarks>
internal sealed class PairMeasurer(ILoadDriver load, BenchOptions options, TextWriter progress)
{
    /// <summary>A round is quiet when it compiled at most this many methods per 1,000 requests served...</summary>
    private const double QuietMethodsPerThousandRequests = 1;

    /// <summary>...or at most this many in all (a round of a slow path, or the odd timer callback).</summary>
    private const int QuietMethods = 5;

    private const int QuietRoundsNeeded = 2;
    private const int MaxWarmupRounds = 15;

    private readonly TimeSpan _warmup = options.Smoke ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(2);
    private readonly TimeSpan _half = TimeSpan.FromSeconds(options.Smoke ? 1 : Math.Max(1, options.DurationSeconds / 2));

    /// <summary>
    /// A B B A cycles per pair: one cycle cancels a steady drift of the machine, but on this 2-core
    /// virtual machine the cycles of one pair have differed by a tenth (0.75x against 0.83x, the other
    /// servers idle and the parts compiling a few small methods at most): the host slows one part down
    /// for a moment, and each further cycle lessens the weight of such a moment.
    /// </summary>
    private readonly int _cycles = options.Smoke ? 1 : 4;

    /// <param name="measured">The path measured and the server it is measured on.</param>
    /// <param name="baseline">Its baseline.</param>
    /// <param name="behind">
    /// Servers both paths call in turn (the downstream API of a proxied call): they compile too, and a
    /// pair measured while they still do is measured against their JIT, not against each other.
    /// </param>
    public async Task<(LoadResult Measured, LoadResult Baseline)> MeasureAsync(
        (string Name, LoadRequest Request, BffChildProcess Server) measured,
        (string Name, LoadRequest Request, BffChildProcess Server) baseline,
        params BffChildProcess[] behind)
    {
        await CheckAsync(measured.Request);
        await CheckAsync(baseline.Request);
        var servers = ServersToSettle(measured.Server, baseline.Server, behind);
        var quietRounds = 0;
        for (var round = 1; ; round++)
        {
            var before = await JitCountAsync(servers);
            var served = Served(await load.RunAsync(measured.Request, options.Connections, _warmup))
                + Served(await load.RunAsync(baseline.Request, options.Connections, _warmup));
            var jitted = await JitCountAsync(servers) - before;
            quietRounds = IsQuiet(jitted, served) ? quietRounds + 1 : 0;
            if (options.Smoke || quietRounds == QuietRoundsNeeded || round == MaxWarmupRounds)
            {
                await progress.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  warmed up in {round} round(s){(quietRounds == QuietRoundsNeeded ? "" : " (not settled: the round limit)")}; the last compiled {jitted} methods in {served} requests"));
                break;
            }
        }

        var measuredParts = new List<LoadResult>();
        var baselineParts = new List<LoadResult>();
        for (var cycle = 0; cycle < _cycles; cycle++)
        {
            measuredParts.Add(await RunAsync(measured.Name, measured.Request, measured.Server));
            baselineParts.Add(await RunAsync(baseline.Name, baseline.Request, baseline.Server));
            baselineParts.Add(await RunAsync(baseline.Name, baseline.Request, baseline.Server));
            measuredParts.Add(await RunAsync(measured.Name, measured.Request, measured.Server));
            await progress.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"  cycle {cycle + 1} of {_cycles}: {Combine(measuredParts[^2..]).RequestsPerSecond / Combine(baselineParts[^2..]).RequestsPerSecond:0.00}x"));
        }

        await CheckAsync(measured.Request);
        await CheckAsync(baseline.Request);
        return (Combine(measuredParts), Combine(baselineParts));
    }

    /// <summary>One path alone (a reference figure), warmed up once.</summary>
    public async Task<LoadResult> MeasureOneAsync(string name, LoadRequest request, BffChildProcess server)
    {
        await CheckAsync(request);
        await load.RunAsync(request, options.Connections, _warmup);
        return Combine([await RunAsync(name, request, server), await RunAsync(name, request, server)]);
    }

    private async Task<LoadResult> RunAsync(string name, LoadRequest request, BffChildProcess server)
    {
        var before = await StatsAsync(server);
        var redisBefore = await RedisCommandsAsync();
        var result = await load.RunAsync(request, options.Connections, _half);
        var after = await StatsAsync(server);
        var redisCommands = await RedisCommandsAsync() - redisBefore;
        var requests = Math.Max(1, Served(result));
        await progress.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"  {name}: {result.RequestsPerSecond:0} req/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms, {result.Failed} failed; server: {(after[1] - before[1]) / requests / 1024.0:0.0} KiB allocated per request, {after[0] - before[0]} methods jitted, {after[2] - before[2]} gen0 / {after[3] - before[3]} gen2 collections{(options.RedisEndpoint is null ? "" : $"; Redis: {redisCommands * 1000.0 / requests:0.0} commands per 1,000 requests")}"));
        if (result.Succeeded == 0)
        {
            throw new InvalidOperationException($"No request to {request.Uri} succeeded ({result.Failed} failed).");
        }

        return result;
    }

    /// <summary>The servers whose compilations a pair's warm-up waits for: both halves' and those behind them, each once.</summary>
    internal static IReadOnlyList<T> ServersToSettle<T>(T measured, T baseline, IEnumerable<T> behind)
        where T : class =>
        new[] { measured, baseline }.Concat(behind).Distinct(ReferenceEqualityComparer.Instance).Cast<T>().ToList();

    /// <summary>Whether a warm-up round left the JIT quiet: few methods compiled for the requests it served.</summary>
    internal static bool IsQuiet(long methodsCompiled, long requestsServed) =>
        methodsCompiled <= QuietMethods || methodsCompiled * 1000.0 / Math.Max(1, requestsServed) <= QuietMethodsPerThousandRequests;

    /// <summary>
    /// Commands the run's Redis has processed so far (0 without one): whether a request on Redis
    /// sessions reads Redis is a count, not a matter of timing (the harness's own INFO counts too).
    /// </summary>
    private async Task<long> RedisCommandsAsync() =>
        options.RedisEndpoint is { } redis ? await RedisInfo.ReadAsync(redis, "stats", "total_commands_processed") : 0;

    private static long Served(LoadResult result) => result.Succeeded + result.Failed;

    /// <summary>Parts of one path's measurement as one: counts and time added, percentiles averaged by request count.</summary>
    internal static LoadResult Combine(IReadOnlyCollection<LoadResult> parts)
    {
        var weight = parts.Sum(p => p.Succeeded);
        double Average(Func<LoadResult, double> percentile) => weight == 0 ? double.NaN : parts.Sum(p => percentile(p) * p.Succeeded) / weight;
        return new LoadResult(
            parts.Sum(p => p.Succeeded),
            parts.Sum(p => p.Failed),
            parts.Aggregate(TimeSpan.Zero, (total, p) => total + p.Elapsed),
            Average(p => p.P50Ms),
            Average(p => p.P99Ms));
    }

    private static async Task<long> JitCountAsync(IReadOnlyList<BffChildProcess> servers)
    {
        long total = 0;
        foreach (var server in servers)
        {
            total += (await StatsAsync(server))[0];
        }

        return total;
    }

    /// <summary>The server's methods compiled, bytes allocated, gen0 and gen2 collections so far.</summary>
    private static async Task<long[]> StatsAsync(BffChildProcess server) =>
        (await server.CommandAsync("stats")).Split(' ').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray();

    private static async Task CheckAsync(LoadRequest request)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var message = request.ToMessage();
        using var response = await http.SendAsync(message);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{request.Uri} answered {(int)response.StatusCode}; a measurement of errors would mean nothing.");
        }
    }
}
