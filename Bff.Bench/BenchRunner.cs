using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Bff.Bench.Servers;
using Bff.Testing;

namespace Bff.Bench;

/// <summary>Runs every measurement against one stack of child processes and returns the table.</summary>
internal static class BenchRunner
{
    public const string AliceId = "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a01";

    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var cpus = CpuPlan.Detect();
        using ILoadDriver load = options.Smoke
            ? new InProcessLoadDriver(options.Connections)
            : new WrkLoadDriver(
                WrkLoadDriver.Find() ?? throw new InvalidOperationException("wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu), or run bench/run.sh as root, which installs it."),
                cpus);
        var report = new BenchReport { Options = options, LoadDescription = load.Description };
        var pairs = new PairMeasurer(load, options, progress);

        await progress.WriteLineAsync("starting the servers as child processes...");
        await using var stack = await BenchStack.StartAsync(cpus, options.RedisEndpoint, progress);
        using var ours = new BenchBrowser(stack.BffAddress);
        await ours.SignInAsync("alice", "alice-password");
        using var peer = new BenchBrowser(stack.Peer.Address);
        await peer.SignInAsync("alice", "alice-password", "/login?returnUrl=%2Fapp");
        using var onRedis = stack.BffOnRedis is null ? null : new BenchBrowser(stack.BffOnRedis.Address);
        if (onRedis is not null)
        {
            await onRedis.SignInAsync("alice", "alice-password");
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

        // Row 1: a few notes so that the JSON has some body; the anonymous twin lists the same notes
        // (and the BFF on Redis, whose notes are in a LiteDB file of its own, gets the same notes).
        foreach (var browser in onRedis is null ? [ours] : new[] { ours, onRedis })
        {
            for (var i = 0; i < 3; i++)
            {
                using var create = browser.ApiRequest(HttpMethod.Post, "/api/notes");
                create.Content = JsonContent.Create(new { title = $"Bench note {i}", text = "Some text of a plausible length for a note." });
                using var created = await http.SendAsync(create);
                created.EnsureSuccessStatusCode();
            }
        }

        await stack.SetAnonymousNotesOwnerAsync(AliceId);
        var liteDb = new BffUnderTest("", "LiteDB", stack.Bff, ours);
        var redis = onRedis is null ? null : new BffUnderTest("R", "Redis", stack.BffOnRedis!, onRedis);
        var run = new Run(stack, liteDb, peer, pairs, report, progress);
        if (options.Runs("1"))
        {
            await progress.WriteLineAsync("row 1: local API...");
            await run.RowsAsync(["1. Local API GET"], () => LocalApiRowAsync(run, http));
            if (redis is not null)
            {
                await progress.WriteLineAsync("row 1R: local API, sessions in Redis...");
                const string name = "1R. Local API GET, Redis sessions";
                await run.RowsAsync([name], async () =>
                {
                    var (onRedisNotes, onLiteDbNotes) = await pairs.MeasureAsync(("GET /api/notes, Redis sessions", redis.Browser.ApiLoad("/api/notes"), redis.Server), ("GET /api/notes, LiteDB sessions", ours.ApiLoad("/api/notes"), stack.Bff));
                    report.Rows.Add(RatioRow(
                        name,
                        "`GET /api/notes` on a BFF whose sessions are in Redis (`Bff:Storage:Sessions=Redis`; memory cache on, as deployed)",
                        "the same request on the BFF with LiteDB sessions",
                        onRedisNotes,
                        onLiteDbNotes,
                        0.9));
                });
            }
        }

        if (options.Runs("2") || options.Runs("4"))
        {
            await progress.WriteLineAsync("rows 2 and 4: proxied remote API...");
            await ProxyRowsAsync(run, redis, options);
        }

        if (options.Runs("3"))
        {
            foreach (var bff in redis is null ? [liteDb] : new[] { liteDb, redis })
            {
                await progress.WriteLineAsync($"row 3{bff.Suffix}: user endpoint against the peer's ({bff.Store} sessions)...");
                var name = $"3{bff.Suffix}. Claims endpoint vs peer{bff.RowSuffix}";
                await run.RowsAsync([name], async () =>
                {
                    var (user, peerUser) = await pairs.MeasureAsync(($"GET /bff/user, {bff.Store} sessions", bff.Browser.ApiLoad("/bff/user"), bff.Server), ("peer GET /user", peer.ApiLoad("/user"), stack.Peer));
                    report.Rows.Add(RatioRow(
                        name,
                        $"`GET /bff/user` (cookie, X-CSRF, server-side session in {bff.Store}; claims plus management claims as JSON)",
                        "the peer (Microsoft's BFF sample pattern: tokens in the chunked encrypted cookie) `GET /user`, its claims as JSON",
                        user,
                        peerUser,
                        1.0));
                });
            }
        }

        report.Rows.Add(CookieRow(liteDb, peer));
        if (redis is not null)
        {
            report.Rows.Add(CookieRow(redis, peer));
        }

        if (options.Runs("6"))
        {
            foreach (var bff in redis is null ? [liteDb] : new[] { liteDb, redis })
            {
                await progress.WriteLineAsync($"row 6{bff.Suffix}: refresh storm ({bff.Store} sessions)...");
                await run.RowsAsync([StormRowName(bff)], () => StormAsync(stack, bff, options, report));
            }
        }

        if ((options.Runs("6") || options.Runs("6C")) && redis is not null)
        {
            await progress.WriteLineAsync("row 6C: refresh storm over two instances behind nginx...");
            await run.RowsAsync([ClusterStormBench.RowName], () => ClusterStormBench.RunAsync(stack, options, report, progress));
        }

        if (options.Runs("7a"))
        {
            await progress.WriteLineAsync("row 7a: session store...");
            await run.RowsAsync([SessionStoreBench.RowName(onRedis: false)], () => SessionStoreBench.RunAsync(stack, onRedis: false, options, report, progress));
            if (redis is not null)
            {
                await progress.WriteLineAsync("row 7aR: session store on Redis...");
                await run.RowsAsync([SessionStoreBench.RowName(onRedis: true)], () => SessionStoreBench.RunAsync(stack, onRedis: true, options, report, progress));
            }
        }

        // Rows 7b and 8 on the BFF as a deployment runs it (Bff.Web.dll), in a process of its own.
        if (options.Runs("7b") || options.Runs("8"))
        {
            await progress.WriteLineAsync("rows 7b and 8: Bff.Web as a child process...");
            await run.RowsAsync(ChildProcessBench.RowNames(onRedis: false), () => ChildProcessBench.RunAsync(stack, onRedis: false, options, report, progress));
            if (redis is not null)
            {
                await progress.WriteLineAsync("rows 7bR and 8R: Bff.Web on Redis sessions as a child process...");
                await run.RowsAsync(ChildProcessBench.RowNames(onRedis: true), () => ChildProcessBench.RunAsync(stack, onRedis: true, options, report, progress));
            }
        }

        if (redis is null)
        {
            report.Rows.Add(new BenchRow("9. Redis rows", "not measured: no Redis server given (`--redis host:port`; bench/run.sh starts one)", "none", "left out", "every row also on Redis", false));
        }

        report.Rows.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
        return report;
    }

    /// <summary>What the rows share: the servers, the BFF on LiteDB sessions, the signed-in peer browser, the measurer, the table.</summary>
    private sealed record Run(BenchStack Stack, BffUnderTest LiteDb, BenchBrowser Peer, PairMeasurer Pairs, BenchReport Report, TextWriter Progress)
    {
        public BenchBrowser Ours => LiteDb.Browser;

        /// <summary>
        /// Runs a measurement that adds the rows <paramref name="names"/>. When it throws, each of them
        /// it did not add shows as "failed: reason" and the run goes on: one broken row (a child that
        /// does not start, a store that times out) must not cost the table of all the others.
        /// </summary>
        public async Task RowsAsync(IReadOnlyList<string> names, Func<Task> measure)
        {
            try
            {
                await measure();
            }
            catch (Exception e)
            {
                await Progress.WriteLineAsync($"  {string.Join(", ", names)}: failed: {e}");
                foreach (var name in names.Where(n => !Report.Rows.Exists(r => r.Name == n)))
                {
                    Report.Rows.Add(BenchRow.Failed(name, e));
                }
            }
        }
    }

    /// <summary>One of the run's BFFs: its row suffix (<c>R</c> for Redis), its session storage, its process and a browser signed in on it.</summary>
    private sealed record BffUnderTest(string Suffix, string Store, BffChildProcess Server, BenchBrowser Browser)
    {
        /// <summary>What the row's name says of the storage (nothing for LiteDB, the default).</summary>
        public string RowSuffix => Suffix.Length == 0 ? "" : $", {Store} sessions";
    }

    private static async Task LocalApiRowAsync(Run run, HttpClient http)
    {
        var notes = run.Ours.ApiLoad("/api/notes");
        var twin = new LoadRequest(new Uri(run.Stack.BffAddress, BenchServers.AnonymousNotesPath), []);
        if (!string.Equals(await BodyAsync(http, notes), await BodyAsync(http, twin), StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The anonymous twin does not answer the same notes as GET /api/notes.");
        }

        var (local, anonymous) = await run.Pairs.MeasureAsync(("GET /api/notes", notes, run.Stack.Bff), ("anonymous notes twin", twin, run.Stack.Bff));
        run.Report.Rows.Add(RatioRow(
            "1. Local API GET",
            "`GET /api/notes` (cookie, X-CSRF, server-side session, JSON)",
            "the same notes handler (same LiteDB query, same JSON) mapped anonymously on the same BFF pipeline",
            local,
            anonymous,
            0.8));
    }

    /// <summary>
    /// Row 2: the proxied call against a bare YARP forward (and, for reference, the API directly);
    /// row 4: against the peer's; rows 2R and 4R: the same on the BFF with Redis sessions (2R against
    /// the BFF with LiteDB sessions).
    /// </summary>
    private static async Task ProxyRowsAsync(Run run, BffUnderTest? redis, BenchOptions options)
    {
        var stack = run.Stack;
        var proxiedRequest = run.Ours.ApiLoad("/api/remote/whoami");
        if (options.Runs("2"))
        {
            await run.RowsAsync(["2. Proxied remote API"], async () =>
            {
                var accessToken = await PasswordGrantAsync(stack, "alice", "alice-password");
                var bearer = new KeyValuePair<string, string>("Authorization", "Bearer " + accessToken);
                var bareRequest = new LoadRequest(new Uri(stack.BffAddress, BenchServers.BareProxyPath + "/whoami"), [bearer]);
                var directRequest = new LoadRequest(new Uri(stack.Downstream.Address, "whoami"), [bearer]);
                var (proxied, bare) = await run.Pairs.MeasureAsync(("GET /api/remote/whoami", proxiedRequest, stack.Bff), ("bare YARP forward", bareRequest, stack.Bff), stack.Downstream);
                var direct = await run.Pairs.MeasureOneAsync("downstream /whoami direct", directRequest, stack.Downstream);
                run.Report.Rows.Add(RatioRow(
                    "2. Proxied remote API",
                    "`GET /api/remote/whoami` through the BFF (cookie, X-CSRF, session's token attached, YARP)",
                    "a bare YARP forward of the same call on the same BFF pipeline (no cookie, session or token lookup; the client's bearer passed through)",
                    proxied,
                    bare,
                    0.9,
                    $"; for reference, `GET /whoami` on the downstream API directly: {BenchReport.Num(direct.RequestsPerSecond)} req/s (the BFF reaches {BenchReport.Num(proxied.RequestsPerSecond / direct.RequestsPerSecond, "0.00")}x of it)"));
            });
            if (redis is not null)
            {
                await run.RowsAsync(["2R. Proxied remote API, Redis sessions"], async () =>
                {
                    var (onRedis, onLiteDb) = await run.Pairs.MeasureAsync(("GET /api/remote/whoami, Redis sessions", redis.Browser.ApiLoad("/api/remote/whoami"), redis.Server), ("GET /api/remote/whoami, LiteDB sessions", proxiedRequest, stack.Bff), stack.Downstream);
                    run.Report.Rows.Add(RatioRow(
                        "2R. Proxied remote API, Redis sessions",
                        "`GET /api/remote/whoami` through the BFF whose sessions are in Redis (memory cache on, as deployed)",
                        "the same request through the BFF with LiteDB sessions",
                        onRedis,
                        onLiteDb,
                        0.9));
                });
            }
        }

        if (options.Runs("4"))
        {
            foreach (var bff in redis is null ? [run.LiteDb] : new[] { run.LiteDb, redis })
            {
                var name = $"4{bff.Suffix}. Proxied call vs peer{bff.RowSuffix}";
                await run.RowsAsync([name], async () =>
                {
                    var (ourProxy, peerProxy) = await run.Pairs.MeasureAsync(($"GET /api/remote/whoami, {bff.Store} sessions", bff.Browser.ApiLoad("/api/remote/whoami"), bff.Server), ("peer GET /api/remote/whoami", run.Peer.ApiLoad("/api/remote/whoami"), stack.Peer), stack.Downstream);
                    run.Report.Rows.Add(RatioRow(
                        name,
                        $"`GET /api/remote/whoami` through the BFF ({bff.Store} sessions)",
                        "the peer's `MapForwarder` with the access token from its cookie, `GET /api/remote/whoami`",
                        ourProxy,
                        peerProxy,
                        1.1));
                });
            }
        }
    }

    private static BenchRow RatioRow(string name, string measuredWhat, string baselineWhat, LoadResult measured, LoadResult baseline, double target, string? baselineNote = null)
    {
        var ratio = measured.RequestsPerSecond / baseline.RequestsPerSecond;
        return new BenchRow(
            name,
            $"{measuredWhat}: {BenchReport.Num(measured.RequestsPerSecond)} req/s, p50 {BenchReport.Ms(measured.P50Ms)}, p99 {BenchReport.Ms(measured.P99Ms)}{Failures(measured)}",
            $"{baselineWhat}: {BenchReport.Num(baseline.RequestsPerSecond)} req/s, p50 {BenchReport.Ms(baseline.P50Ms)}, p99 {BenchReport.Ms(baseline.P99Ms)}{Failures(baseline)}{baselineNote}",
            $"throughput {BenchReport.Num(ratio, "0.00")}x, p99 {BenchReport.Num(measured.P99Ms / baseline.P99Ms, "0.00")}x",
            $"throughput >= {BenchReport.Num(target, "0.0")}x",
            ratio >= target && measured.Failed == 0);
    }

    private static string Failures(LoadResult result) => result.Failed == 0 ? string.Empty : $", **{result.Failed} failed**";

    /// <summary>The Cookie header each browser sends with an API call, in bytes.</summary>
    private static BenchRow CookieRow(BffUnderTest ours, BenchBrowser peer)
    {
        var mine = ours.Browser.CookieHeaderFor("/api/remote/whoami");
        var theirs = peer.CookieHeaderFor("/api/remote/whoami");
        static int Count(string header) => header.Split("; ").Length;
        return new BenchRow(
            $"5{ours.Suffix}. Cookie header{ours.RowSuffix}",
            $"the `Cookie` header the browser sends with each API call to the BFF ({ours.Store} sessions): {mine.Length} bytes, {Count(mine)} cookie(s)",
            $"the same for the peer (tokens in the chunked encrypted cookie): {theirs.Length} bytes, {Count(theirs)} cookie(s)",
            $"{mine.Length} bytes ({BenchReport.Num(theirs.Length / (double)mine.Length, "0.0")}x less than the peer)",
            "< 1 KB",
            mine.Length < 1024);
    }

    /// <summary>The proxied call every refresh storm sends.</summary>
    internal const string StormPath = "/api/remote/whoami";

    private static string StormRowName(BffUnderTest bff) => $"6{bff.Suffix}. Refresh storm{bff.RowSuffix}";

    private static async Task StormAsync(BenchStack stack, BffUnderTest bff, BenchOptions options, BenchReport report)
    {
        var browser = bff.Browser;
        await BenchStack.ExpireAccessTokenAsync(bff.Server, AliceId);

        var (refreshCalls, succeeded, elapsed) = await FireStormAsync(stack, browser, options.StormRequests);
        report.Storms.Add((bff.Store, refreshCalls, succeeded));
        report.Rows.Add(new BenchRow(
            StormRowName(bff),
            $"{options.StormRequests} concurrent `GET {StormPath}` on a session ({bff.Store}) whose access token expired; all answered in {BenchReport.Ms(elapsed.TotalMilliseconds)}",
            "token-endpoint `refresh_token` calls counted at the DevIdp before and after",
            $"refresh calls: {refreshCalls}; served: {succeeded}/{options.StormRequests}",
            "exactly 1 refresh call, every request served",
            refreshCalls == 1 && succeeded == options.StormRequests));
    }

    /// <summary>
    /// Sends <paramref name="requests"/> proxied calls at once on the browser's session and counts the
    /// <c>refresh_token</c> calls the DevIdp saw meanwhile and the calls answered 200.
    /// </summary>
    internal static async Task<(int RefreshCalls, int Succeeded, TimeSpan Elapsed)> FireStormAsync(BenchStack stack, BenchBrowser browser, int requests)
    {
        // A client of its own, without a connection limit, so that all requests are in flight at once.
        using var storm = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
        var before = await stack.TokenRequestsAsync("refresh_token");
        var clock = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, requests).Select(async _ =>
        {
            using var request = browser.ApiRequest(HttpMethod.Get, StormPath);
            using var response = await storm.SendAsync(request);
            return response.StatusCode;
        }));
        var elapsed = clock.Elapsed;
        var refreshCalls = await stack.TokenRequestsAsync("refresh_token") - before;
        return (refreshCalls, statuses.Count(status => status == HttpStatusCode.OK), elapsed);
    }

    private static async Task<string> BodyAsync(HttpClient http, LoadRequest request)
    {
        using var message = request.ToMessage();
        using var response = await http.SendAsync(message);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PasswordGrantAsync(BenchStack stack, string userName, string password)
    {
        var body = await TokenEndpoint.PasswordGrantAsync(stack.Authority, BenchStack.Client, userName, password);
        return body.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("No access token.");
    }
}
