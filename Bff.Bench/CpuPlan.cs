using System.Globalization;

namespace Bff.Bench;

/// <summary>
/// Which CPUs the servers and the load generator get: on Linux with <c>taskset</c> and at least two
/// CPUs, the servers (BFF, DevIdp, downstream API, peer) share the first half and wrk the rest (on 2
/// cores: servers on CPU 0, wrk on CPU 1), so that load generation does not take the servers' time.
/// </summary>
/// <param name="Servers">The servers' <c>taskset</c> CPU list, or <see langword="null"/> when not pinned.</param>
/// <param name="Load">wrk's CPU list, or <see langword="null"/> when not pinned.</param>
/// <param name="LoadThreads">wrk's threads: one per CPU it has.</param>
internal sealed record CpuPlan(string? Servers, string? Load, int LoadThreads)
{
    public static CpuPlan Detect()
    {
        var cpus = Environment.ProcessorCount;
        if (!OperatingSystem.IsLinux() || cpus < 2 || Which("taskset") is null)
        {
            return new CpuPlan(null, null, Math.Max(1, cpus / 2));
        }

        var servers = cpus / 2;
        return new CpuPlan(Range(0, servers - 1), Range(servers, cpus - 1), cpus - servers);
    }

    /// <summary>How the table describes it.</summary>
    public string Description => Servers is null
        ? "not pinned (needs Linux, taskset and 2+ CPUs)"
        : $"servers pinned to CPU {Servers}, wrk to CPU {Load} ({LoadThreads} thread{(LoadThreads == 1 ? "" : "s")})";

    /// <summary>The full path of a program on PATH, or <see langword="null"/>.</summary>
    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static string Range(int first, int last) =>
        first == last ? first.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{first}-{last}");
}
