using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Testing.Hosting;
using Bff.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Bench;

/// <summary>
/// Rows 7b and 8 on the BFF alone, as a child process (<see cref="BffChildProcess"/>) against the
/// bench's DevIdp and downstream API: its time from process start to ready, and its resident memory
/// once <see cref="BenchOptions.ActiveSessions"/> sessions have each made a request.
/// </summary>
internal static class ChildProcessBench
{
    /// <summary>The claim the cookie handler puts in its cookie when it has a session store (ASP.NET Core's CookieAuthenticationHandler).</summary>
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    /// <summary>Requests in flight at once while the sessions are made active.</summary>
    private const int ActivationConcurrency = 8;

    /// <summary>Requests on the warm-up session before the first memory reading.</summary>
    private const int WarmupRequests = 50;

    /// <summary>
    /// Starts measured for the start-to-ready row (two in the smoke run): one start is one sample of a
    /// figure that moves by a few hundred milliseconds with whatever else the machine does at that
    /// moment, so the row gives the median and the range.
    /// </summary>
    private const int StartSamples = 5;

    /// <summary>The names of the two rows in the table: resident memory, start to ready.</summary>
    public static string[] RowNames(bool onRedis) =>
        onRedis ? ["7bR. Resident memory, Redis sessions", "8R. Start to ready, Redis sessions"] : ["7b. Resident memory", "8. Start to ready"];

    public static async Task RunAsync(BenchStack stack, bool onRedis, BenchOptions options, BenchReport report, TextWriter progress)
    {
        var folder = Path.Combine(stack.Folder, onRedis ? "child-redis" : "child");
        var settings = stack.Settings(folder, onRedis);
        var store = onRedis ? "Redis" : "LiteDB";
        try
        {
            // alice signs in through the child itself, so that the template session is the one this
            // build stores; then, the child stopped (LiteDB allows one opener per file), its store is
            // seeded with copies of her session through the store and cookie format of a never-started
            // app on the same settings, as a restart of a busy BFF would find them.
            await progress.WriteLineAsync("  signing alice in through Bff.Web as a child process...");
            await using (var first = await BffChildProcess.StartAsync(settings, TimeSpan.FromSeconds(120), stack.Cpus.Servers))
            {
                await stack.AllowRedirectsToAsync(first.Address);
                using var browser = new BenchBrowser(first.Address);
                await browser.SignInAsync("alice", "alice-password");
            }

            await progress.WriteLineAsync($"  seeding {options.ActiveSessions} sessions for the child process...");
            var seeded = await SeedAsync(settings, options.ActiveSessions + 1);
            var warmupCookie = seeded.Cookies[^1];
            var databaseBytes = Directory.EnumerateFiles(folder, "*.db").Sum(f => new FileInfo(f).Length);
            var databaseMegabytes = databaseBytes / (1024.0 * 1024.0);
            var stored = onRedis
                ? $"sessions in Redis: `used_memory` grew {BenchReport.Num(seeded.RedisBytes / 1024.0 / options.ActiveSessions, "0.0")} KiB per stored session; users and notes in a LiteDB file of {BenchReport.Num(databaseMegabytes, "0.0")} MB"
                : $"LiteDB file {BenchReport.Num(databaseMegabytes)} MB, {BenchReport.Num(databaseBytes / 1024.0 / (options.ActiveSessions + 2), "0.0")} KiB per stored session";

            var (assembly, published) = BffChildProcess.PublishedWebAssembly();
            var samples = options.Smoke ? 2 : StartSamples;
            await progress.WriteLineAsync($"  starting Bff.Web {samples} times ({assembly})...");
            Task<BffChildProcess> StartChildAsync() =>
                BffChildProcess.StartAsync(assembly, ["--urls", LoopbackApp.Urls], settings, TimeSpan.FromSeconds(120), stack.Cpus.Servers);
            var starts = new List<StartTimes>();
            for (var i = 1; i < samples; i++)
            {
                await using var started = await StartChildAsync();
                starts.Add(StartTimes.Of(started));
            }

            // The last start stays up for the memory reading.
            await using var child = await StartChildAsync();
            starts.Add(StartTimes.Of(child));
            var start = StartTimes.Median(starts);
            await progress.WriteLineAsync($"  start to ready: {string.Join(", ", starts.Select(s => BenchReport.Ms(s.Ready.TotalMilliseconds)))}");
            using var http = new HttpClient(new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = ActivationConcurrency,
            }) { BaseAddress = child.Address, Timeout = TimeSpan.FromSeconds(30) };

            for (var i = 0; i < WarmupRequests; i++)
            {
                await UserAsync(http, seeded.CookieName, warmupCookie);
            }

            var (before, _) = child.ResidentMegabytes();
            var beforeParts = child.MemoryBreakdown();
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(
                seeded.Cookies.Take(options.ActiveSessions),
                new ParallelOptions { MaxDegreeOfParallelism = ActivationConcurrency },
                async (cookie, _) => await UserAsync(http, seeded.CookieName, cookie));
            var activationRate = options.ActiveSessions / clock.Elapsed.TotalSeconds;
            var (after, peak) = child.ResidentMegabytes();
            await progress.WriteLineAsync($"  child RSS {BenchReport.Num(before)} MB before ({beforeParts}), {BenchReport.Num(after)} MB after ({child.MemoryBreakdown()}; peak {BenchReport.Num(peak)} MB)");

            report.Rows.Add(new BenchRow(
                RowNames(onRedis)[0],
                $"resident memory (VmRSS) of the BFF alone, a child process `dotnet Bff.Web.dll` (Production, {GcMode()}), after one `GET /bff/user` (cookie, X-CSRF, 200 each, {BenchReport.Num(activationRate)}/s) on each of {options.ActiveSessions} sessions seeded into its store (real ticket and tokens; {stored}; the store's memory cache holds the {seeded.CacheSize} most recent): {BenchReport.Num(after)} MB (peak {BenchReport.Num(peak)} MB)",
                $"the same process after ready and {WarmupRequests} requests on one session, before the others: {BenchReport.Num(before)} MB",
                $"{BenchReport.Num(after)} MB ({BenchReport.Num(after - before, "+0;-0")} MB for the sessions)",
                "< 200 MB",
                after < 200));
            report.Rows.Add(new BenchRow(
                RowNames(onRedis)[1],
                $"`dotnet Bff.Web.dll` ({(published ? "published ReadyToRun" : "build output, not published")}) started {starts.Count} times as a child process (Production, {store} holding {options.ActiveSessions + 1} sessions{(onRedis ? ", its key ring in Redis" : $", {BenchReport.Num(databaseMegabytes)} MB")}) until `/health/ready` answers 200: median {BenchReport.Ms(start.Ready.TotalMilliseconds)} (fastest {BenchReport.Ms(starts.Min(s => s.Ready).TotalMilliseconds)}, slowest {BenchReport.Ms(starts.Max(s => s.Ready).TotalMilliseconds)}; medians: listening after {BenchReport.Ms(start.Listening.TotalMilliseconds)}, {BenchReport.Ms(start.Cpu.TotalMilliseconds)} of CPU time by ready)",
                "none (the target is absolute)",
                BenchReport.Ms(start.Ready.TotalMilliseconds),
                "< 1 s",
                start.Ready < TimeSpan.FromSeconds(1)));
        }
        finally
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // Left to the stack's own cleanup of its folder.
            }
        }
    }

    /// <summary>One start of the child: until listening, until ready, and the CPU time it took by then.</summary>
    internal sealed record StartTimes(TimeSpan Listening, TimeSpan Ready, TimeSpan Cpu)
    {
        public static StartTimes Of(BffChildProcess child) => new(child.StartToListening, child.StartToReady, child.CpuToReady);

        /// <summary>Each figure's median over the starts (of an even count, the mean of the middle two).</summary>
        public static StartTimes Median(IReadOnlyCollection<StartTimes> starts) =>
            new(Median(starts.Select(s => s.Listening)), Median(starts.Select(s => s.Ready)), Median(starts.Select(s => s.Cpu)));

        private static TimeSpan Median(IEnumerable<TimeSpan> values)
        {
            var sorted = values.Order().ToArray();
            if (sorted.Length == 0)
            {
                throw new ArgumentException("No start to take the median of.", nameof(values));
            }

            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /// <summary>Seeded sessions: the cookie value of each, the cookie's name, the store's cache size and, on Redis, how much Redis's used memory grew.</summary>
    private sealed record Seeded(string[] Cookies, string CookieName, int CacheSize, long RedisBytes);

    private static async Task<Seeded> SeedAsync(Dictionary<string, string?> settings, int count)
    {
        var builder = BffWebApp.CreateBuilder(["--environment", "Production"]);
        builder.Configuration.AddInMemoryCollection(settings);

        // Disposed before the child starts: LiteDB allows one opener per file.
        await using var app = await BffWebApp.BuildAsync(builder);
        var store = app.Services.GetRequiredService<IInternalSessionStore>();
        var sessionOptions = app.Services.GetRequiredService<IOptions<BffOptions>>().Value.Session;
        var cookieFormat = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(BffAuthenticationDefaults.CookieScheme).TicketDataFormat;
        var template = (await store.FindAsync(new SessionFilter(Subject: BenchRunner.AliceId))).OrderByDescending(s => s.Created).FirstOrDefault()
            ?? throw new InvalidOperationException("alice has no session in the child's store after signing in.");

        // The signed-in user's real ticket, its sliding expiry moved to now so that no session is near it.
        var now = DateTimeOffset.UtcNow;
        var ticket = TicketSerializer.Default.Deserialize(template.Ticket)
            ?? throw new InvalidOperationException("The template session's ticket does not deserialize.");
        ticket.Properties.IssuedUtc = now;
        ticket.Properties.ExpiresUtc = now + sessionOptions.IdleTimeout;
        var ticketBytes = TicketSerializer.Default.Serialize(ticket);

        var redis = settings.GetValueOrDefault("ConnectionStrings:Redis");
        var redisBefore = redis is null ? 0 : await SessionStoreBench.RedisUsedMemoryAsync(redis);
        var cookies = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            await store.SaveAsync(template with
            {
                Key = key,
                SessionId = Guid.NewGuid().ToString(),
                Ticket = ticketBytes,
                Created = now,
                LastSeen = now,
                Expires = now + sessionOptions.AbsoluteLifetime,
                IdleExpires = now + sessionOptions.IdleTimeout,
            }, cancellationToken);

            // What the cookie handler writes after StoreAsync: a ticket holding only the session key.
            var identity = new ClaimsIdentity([new Claim(SessionIdClaim, key)], BffAuthenticationDefaults.CookieScheme);
            cookies[i] = cookieFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), BffAuthenticationDefaults.CookieScheme));
        });
        var redisBytes = redis is null ? 0 : await SessionStoreBench.RedisUsedMemoryAsync(redis) - redisBefore;
        return new Seeded(cookies, sessionOptions.CookieName, sessionOptions.CacheSize, redisBytes);
    }

    /// <summary>The child's GC: its runtimeconfig asks for workstation GC, unless the inherited environment overrides it.</summary>
    private static string GcMode() =>
        Environment.GetEnvironmentVariable("DOTNET_gcServer") is "1" ? "server GC, DOTNET_gcServer=1" : "workstation GC";

    private static async Task UserAsync(HttpClient http, string cookieName, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/user");
        request.Headers.TryAddWithoutValidation("Cookie", $"{cookieName}={cookie}");
        request.Headers.Add("X-CSRF", "1");
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // The seeded sessions or cookies are not what the BFF accepts: the figure would be meaningless.
            throw new InvalidOperationException($"A seeded session was refused: GET /bff/user answered {(int)response.StatusCode}.");
        }
    }
}
