using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Sessions;
using Bff.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Bench;

/// <summary>Runs every measurement against one stack and returns the table.</summary>
internal static class BenchRunner
{
    private const string AliceId = "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a01";

    /// <summary>A warm-up round of both paths that compiles fewer methods than this counts as settled.</summary>
    private const int SettledJitMethods = 50;

    /// <summary>The most warm-up rounds before measuring anyway.</summary>
    private const int MaxWarmupRounds = 15;

    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var report = new BenchReport { Options = options };
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        var warmup = options.Smoke ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(Math.Min(2, options.DurationSeconds / 2.0));

        await progress.WriteLineAsync("starting DevIdp, downstream API and BFF...");
        await using var stack = await BenchStack.StartAsync();
        using var browser = new BenchBrowser(stack.BffAddress);
        await browser.SignInAsync("alice", "alice-password");
        using var load = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = options.Connections,
        }) { Timeout = TimeSpan.FromSeconds(30) };

        // Row 1: a few notes so that the JSON has some body; the anonymous twin lists the same notes.
        for (var i = 0; i < 3; i++)
        {
            using var create = browser.ApiRequest(HttpMethod.Post, "/api/notes");
            create.Content = JsonContent.Create(new { title = $"Bench note {i}", text = "Some text of a plausible length for a note." });
            using var created = await load.SendAsync(create);
            created.EnsureSuccessStatusCode();
        }

        using (var list = await load.SendAsync(browser.ApiRequest(HttpMethod.Get, "/api/notes")))
        {
            list.EnsureSuccessStatusCode();
            var body = await list.Content.ReadAsStringAsync();
            stack.AnonymousNotesOwner = await LocalUserIdAsync(stack);
            using var twin = await load.GetAsync(new Uri(stack.BffAddress, BenchStack.AnonymousNotesPath));
            if (!string.Equals(body, await twin.Content.ReadAsStringAsync(), StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The anonymous twin does not answer the same notes as GET /api/notes.");
            }
        }

        await progress.WriteLineAsync("row 1: local API...");
        var anonymousUri = new Uri(stack.BffAddress, BenchStack.AnonymousNotesPath);
        var (local, anonymous) = await MeasurePairAsync(
            progress,
            load,
            ("GET /api/notes", () => browser.ApiRequest(HttpMethod.Get, "/api/notes")),
            ("anonymous notes twin", () => new HttpRequestMessage(HttpMethod.Get, anonymousUri)),
            options.Connections,
            warmup,
            duration,
            options.Smoke);
        report.Rows.Add(RatioRow(
            "1. Local API GET",
            "`GET /api/notes` (cookie, X-CSRF, server-side session, JSON)",
            "the same notes handler (same LiteDB query, same JSON) mapped anonymously on the same BFF pipeline",
            local,
            anonymous,
            0.6));

        await progress.WriteLineAsync("row 2: proxied remote API...");
        var accessToken = await PasswordGrantAsync(stack, "alice", "alice-password");
        var whoami = new Uri(stack.Downstream.BaseAddress, "whoami");
        var (proxied, direct) = await MeasurePairAsync(
            progress,
            load,
            ("GET /api/remote/whoami", () => browser.ApiRequest(HttpMethod.Get, "/api/remote/whoami")),
            ("downstream /whoami direct", () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, whoami);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                return request;
            }),
            options.Connections,
            warmup,
            duration,
            options.Smoke);
        var bareUri = new Uri(stack.BffAddress, BenchStack.BareProxyPath + "/whoami");
        HttpRequestMessage BareRequest()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, bareUri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            return request;
        }

        await LoadGenerator.RunAsync(load, BareRequest, options.Connections, warmup);
        var bare = await MeasureAsync(progress, "bare YARP forward (no session, client's bearer)", load, BareRequest, options.Connections, duration);
        report.Rows.Add(RatioRow(
            "2. Proxied remote API",
            "`GET /api/remote/whoami` through the BFF (session token attached, YARP)",
            "`GET /whoami` on the downstream API directly with a bearer token",
            proxied,
            direct,
            0.7,
            $"; for reference, a bare YARP forward of the same call on the same pipeline (no session or token lookup, the client's bearer passed through): {BenchReport.Num(bare.RequestsPerSecond)} req/s, {BenchReport.Num(bare.RequestsPerSecond / direct.RequestsPerSecond, "0.00")}x of direct"));

        await progress.WriteLineAsync("row 3: refresh storm...");
        await StormAsync(stack, browser, options, report);

        await progress.WriteLineAsync("row 4a: session store...");
        await SessionStoreBench.RunAsync(stack, options, report, progress);

        // Rows 4b and 5 on the BFF alone, in a process of its own; its sessions carry alice's real
        // ticket and tokens, as the in-process BFF stored them when she signed in.
        await progress.WriteLineAsync("rows 4b and 5: the BFF as a child process...");
        await ChildProcessBench.RunAsync(stack, await AliceSessionAsync(stack), options, report, progress);
        return report;
    }

    /// <summary>
    /// Warms both paths up first, in rounds of <paramref name="warmup"/> each, until the JIT has
    /// settled (a round of both compiles fewer than <see cref="SettledJitMethods"/> methods, or
    /// <see cref="MaxWarmupRounds"/> rounds passed), then measures the one and then the other.
    /// </summary>
    /// <remarks>
    /// Important: on 2 cores the runtime's tiered JIT recompiles hot methods for tens of seconds after
    /// start; a path measured while it does so pays for it, and row 1 runs first. A BFF is a long-lived
    /// process, so steady state is what is compared.
    /// </remarks>
    private static async Task<(LoadResult Measured, LoadResult Baseline)> MeasurePairAsync(
        TextWriter progress,
        HttpClient client,
        (string Name, Func<HttpRequestMessage> Request) measured,
        (string Name, Func<HttpRequestMessage> Request) baseline,
        int workers,
        TimeSpan warmup,
        TimeSpan duration,
        bool smoke)
    {
        for (var round = 1; ; round++)
        {
            var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
            await LoadGenerator.RunAsync(client, measured.Request, workers, warmup);
            await LoadGenerator.RunAsync(client, baseline.Request, workers, warmup);
            jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitted;
            if (smoke || jitted < SettledJitMethods || round == MaxWarmupRounds)
            {
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  warmed up in {round} round(s); the last compiled {jitted} methods"));
                break;
            }
        }

        return (
            await MeasureAsync(progress, measured.Name, client, measured.Request, workers, duration),
            await MeasureAsync(progress, baseline.Name, client, baseline.Request, workers, duration));
    }

    private static async Task<LoadResult> MeasureAsync(TextWriter progress, string name, HttpClient client, Func<HttpRequestMessage> request, int workers, TimeSpan duration)
    {
        var result = await LoadGenerator.RunAsync(client, request, workers, duration);
        await progress.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"  {name}: {result.RequestsPerSecond:0} req/s, {result.AllocatedBytesPerRequest / 1024.0:0.0} KiB allocated per request (whole process), {result.MethodsJitted} methods jitted, {result.Gen0Collections} gen0 / {result.Gen2Collections} gen2 collections"));
        if (result.Succeeded == 0)
        {
            throw new InvalidOperationException($"No request succeeded ({result.Failed} failed).");
        }

        return result;
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
            ratio >= target);
    }

    private static string Failures(LoadResult result) => result.Failed == 0 ? string.Empty : $", {result.Failed} failed";

    private static async Task StormAsync(BenchStack stack, BenchBrowser browser, BenchOptions options, BenchReport report)
    {
        var sessions = stack.Bff.Services.GetRequiredService<IServerSessionStore>();
        var session = (await sessions.FindAsync(new SessionFilter(Subject: AliceId))).OrderByDescending(s => s.Created).First();
        if (!await sessions.UpdateTokensAsync(session.Key, session.Tokens! with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }))
        {
            throw new InvalidOperationException("Could not expire the session's access token.");
        }

        // A client of its own, without a connection limit, so that all requests are in flight at once.
        using var storm = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
        var before = stack.Idp.TokenRequests("refresh_token");
        var clock = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, options.StormRequests).Select(async _ =>
        {
            using var response = await storm.SendAsync(browser.ApiRequest(HttpMethod.Get, "/api/remote/whoami"));
            return response.StatusCode;
        }));
        var elapsed = clock.Elapsed;
        report.StormRefreshCalls = stack.Idp.TokenRequests("refresh_token") - before;
        report.StormSucceeded = statuses.Count(s => s == HttpStatusCode.OK);
        report.Rows.Add(new BenchRow(
            "3. Refresh storm",
            $"{options.StormRequests} concurrent `GET /api/remote/whoami` on a session whose access token expired; all answered in {BenchReport.Ms(elapsed.TotalMilliseconds)}",
            "token-endpoint `refresh_token` calls counted at the DevIdp before and after",
            $"refresh calls: {report.StormRefreshCalls}; served: {report.StormSucceeded}/{options.StormRequests}",
            "exactly 1 refresh call, every request served",
            report.StormRefreshCalls == 1 && report.StormSucceeded == options.StormRequests));
    }

    /// <summary>alice's newest session in the in-process BFF's store (ticket and tokens decrypted).</summary>
    private static async Task<ServerSession> AliceSessionAsync(BenchStack stack) =>
        (await stack.Bff.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: AliceId)))
            .OrderByDescending(s => s.Created)
            .FirstOrDefault() ?? throw new InvalidOperationException("alice has no session in the BFF's store.");

    private static async Task<string> LocalUserIdAsync(BenchStack stack)
    {
        var users = stack.Bff.Services.GetRequiredService<IUserStore>();
        var alice = await users.FindBySubjectAsync(stack.Idp.Authority().AbsoluteUri.TrimEnd('/'), AliceId)
            ?? throw new InvalidOperationException("alice has no local user after signing in.");
        return alice.Id.ToString("D");
    }

    private static async Task<string> PasswordGrantAsync(BenchStack stack, string userName, string password)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "password",
            ["client_id"] = "bff",
            ["client_secret"] = "bff-dev-secret",
            ["username"] = userName,
            ["password"] = password,
            ["scope"] = "openid profile email",
        });
        using var response = await http.PostAsync(new Uri(stack.Idp.Authority().AbsoluteUri + "/protocol/openid-connect/token"), form);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("No access token.");
    }
}
