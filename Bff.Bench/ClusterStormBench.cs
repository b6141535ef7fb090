using Bff.Testing.Servers;

namespace Bff.Bench;

/// <summary>
/// Row 6C: the refresh storm over two instances, as a deployment runs several: two BFFs
/// (<c>Bff.Bench serve bff</c>) on the run's Redis under one key prefix (so one session store, one
/// Data Protection key ring, one refresh lease per session), behind a real nginx balancing
/// round-robin. alice signs in through nginx, her access token is marked expired, and
/// <see cref="BenchOptions.StormRequests"/> concurrent proxied calls go through nginx at once: the
/// DevIdp must see exactly one <c>refresh_token</c> call, whichever instance wins the lease, and
/// every call must be answered 200. nginx's access log says which instance served each call.
/// </summary>
internal static class ClusterStormBench
{
    /// <summary>The row's name in the table.</summary>
    public const string RowName = "6C. Refresh storm, two instances behind nginx";

    private const string StormPath = BenchRunner.StormPath;

    /// <summary>
    /// How long the other instance is given to take in the "session changed" notice of the expiry
    /// before the storm (normally a millisecond; a late one only lets it serve the old, still valid
    /// token, which would hide the storm from that instance, not add a refresh).
    /// </summary>
    private static readonly TimeSpan NoticeDelivery = TimeSpan.FromMilliseconds(300);

    public static async Task RunAsync(BenchStack stack, BenchOptions options, BenchReport report, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(progress);

        // One key prefix for both: everything the instances share lives under it in Redis. Users and
        // notes stay in a LiteDB file per instance; the proxied call needs neither.
        var folder = Path.Combine(stack.Folder, "cluster");
        var first = stack.Settings(Path.Combine(folder, "a"), onRedis: true);
        var second = stack.Settings(Path.Combine(folder, "b"), onRedis: true);
        second["Bff:Storage:RedisKeyPrefix"] = first["Bff:Storage:RedisKeyPrefix"];

        await progress.WriteLineAsync("  two BFFs on one Redis key prefix...");
        await using var a = await stack.StartBffAsync(first);
        await using var b = await stack.StartBffAsync(second);
        await progress.WriteLineAsync("  nginx round-robin in front of them...");
        await using var nginx = await NginxServer.StartAsync([a.Address, b.Address]);
        await stack.AllowRedirectsToAsync(nginx.Address);

        using var browser = new BenchBrowser(nginx.Address);
        await browser.SignInAsync("alice", "alice-password");
        await BenchStack.ExpireAccessTokenAsync(a, BenchRunner.AliceId);
        await Task.Delay(NoticeDelivery);

        var logLinesBefore = File.ReadAllLines(nginx.AccessLog).Length;
        var (refreshCalls, succeeded, elapsed) = await BenchRunner.FireStormAsync(stack, browser, options.StormRequests);
        var served = await ServedByAsync(nginx, logLinesBefore, [("A", a.Address), ("B", b.Address)]);
        var split = string.Join(", ", served.Select(s => $"{s.Instance} {s.Count}"));

        report.Storms.Add(("Redis, two instances", refreshCalls, succeeded));
        report.Rows.Add(new BenchRow(
            RowName,
            $"{options.StormRequests} concurrent `GET {StormPath}` through nginx (round-robin) on a session whose access token expired, two BFFs on one Redis (one key prefix: sessions, key ring, refresh lease); all answered in {BenchReport.Ms(elapsed.TotalMilliseconds)}; served by instance {split} (nginx's access log)",
            "token-endpoint `refresh_token` calls counted at the DevIdp before and after",
            $"refresh calls: {refreshCalls}; served: {succeeded}/{options.StormRequests}; split {split}",
            "exactly 1 refresh call, every request served, both instances serving",
            refreshCalls == 1 && succeeded == options.StormRequests && served.All(s => s.Count > 0)));
    }

    /// <summary>How many of the storm's calls each instance served, from the lines nginx logged after <paramref name="skipLines"/>.</summary>
    private static async Task<(string Instance, int Count)[]> ServedByAsync(NginxServer nginx, int skipLines, (string Name, Uri Address)[] instances)
    {
        // nginx writes a request's line when it has answered it; every call has been answered here.
        var lines = (await File.ReadAllLinesAsync(nginx.AccessLog)).Skip(skipLines).Where(l => l.Contains(StormPath, StringComparison.Ordinal)).ToArray();
        return [.. instances.Select(i => (i.Name, lines.Count(l => l.Contains($"upstream={i.Address.Host}:{i.Address.Port}", StringComparison.Ordinal))))];
    }
}
