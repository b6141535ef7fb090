using System.Globalization;

namespace Bff.Bench;

/// <summary>The harness's settings.</summary>
internal sealed record BenchOptions
{
    /// <summary>Seconds each throughput measurement runs. Defaults to 10.</summary>
    public int DurationSeconds { get; init; } = 10;

    /// <summary>Concurrent workers of the load generator. Defaults to 32.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>Sessions inserted into the separate store for the lookup measurement. Defaults to 100,000.</summary>
    public int Sessions { get; init; } = 100_000;

    /// <summary>Concurrent requests of the refresh storm. Defaults to 200.</summary>
    public int StormRequests { get; init; } = 200;

    /// <summary>Sessions added to the running BFF before its memory is read. Defaults to 10,000.</summary>
    public int ActiveSessions { get; init; } = 10_000;

    /// <summary>Random lookups timed in the session store. Defaults to 10,000.</summary>
    public int Lookups { get; init; } = 10_000;

    /// <summary>
    /// The rows to run (<c>--only 1,3,7b</c>: their numbers), for profiling one path; empty runs
    /// every row. The cookie row always runs (it costs nothing).
    /// </summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether the row numbered <paramref name="row"/> runs.</summary>
    public bool Runs(string row) => Only.Count == 0 || Only.Contains(row);

    /// <summary>
    /// A Redis server (<c>--redis host:port</c>) for the rows measured again on the Redis session
    /// storage (<c>Bff:Storage:Sessions=Redis</c>); bench/run.sh starts a private one, the smoke test
    /// gives the test run's. Each BFF of the run keeps its keys under a prefix of its own. Defaults to
    /// none: the Redis rows are left out and the table says so.
    /// </summary>
    public string? RedisEndpoint { get; init; }

    /// <summary>Whether this is the tiny smoke run.</summary>
    public bool Smoke { get; init; }

    /// <summary>The smoke run's numbers: well under a minute, no meaning as figures.</summary>
    public static BenchOptions SmokeRun { get; } = new()
    {
        DurationSeconds = 1,
        Connections = 2,
        Sessions = 200,
        StormRequests = 20,
        ActiveSessions = 200,
        Lookups = 200,
        Smoke = true,
    };

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--smoke") ? SmokeRun : new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    break;
                case "--duration":
                    options = options with { DurationSeconds = Number(args, ++i) };
                    break;
                case "--connections":
                    options = options with { Connections = Number(args, ++i) };
                    break;
                case "--sessions":
                    options = options with { Sessions = Number(args, ++i) };
                    break;
                case "--redis" when i + 1 < args.Count:
                    options = options with { RedisEndpoint = args[++i] };
                    break;
                case "--only" when i + 1 < args.Count:
                    options = options with { Only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal) };
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.", nameof(args));
            }
        }

        return options;
    }

    private static int Number(IReadOnlyList<string> args, int index) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"'{args[index - 1]}' needs a positive number.", nameof(args));
}
