using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using Bff.Sessions;
using Bff.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Bench;

/// <summary>
/// Row 7a: the real session store (LiteDB, tickets and tokens encrypted with Data Protection) as the
/// BFF registers it, filled with realistic records.
/// </summary>
internal static class SessionStoreBench
{
    public static async Task RunAsync(BenchStack stack, BenchOptions options, BenchReport report, TextWriter progress)
    {
        // 4a: a separate database file, through a second (never started) BFF app's service provider,
        // so that the store is exactly the one AddBff registers. Its memory cache is off: every
        // lookup is a database read and a decryption, the store's worst case (the throughput rows show hits).
        var builder = BffWebApp.CreateBuilder(["--environment", "Production"]);
        builder.Configuration.AddInMemoryCollection(stack.Settings(Path.Combine(stack.Folder, "store")));
        builder.Configuration["Bff:Session:CacheSize"] = "0";
        await using (var storeApp = await BffWebApp.BuildAsync(builder))
        {
            var store = storeApp.Services.GetRequiredService<IServerSessionStore>();
            var insertClock = Stopwatch.StartNew();
            var keys = await InsertAsync(store, options.Sessions);
            var insertRate = options.Sessions / insertClock.Elapsed.TotalSeconds;
            await progress.WriteLineAsync($"inserted {options.Sessions} sessions at {BenchReport.Num(insertRate)}/s");

            var latencies = new double[options.Lookups];
            var misses = 0;
            for (var i = 0; i < latencies.Length; i++)
            {
                var key = keys[RandomNumberGenerator.GetInt32(keys.Length)];
                var start = Stopwatch.GetTimestamp();
                var found = await store.GetAsync(key);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                misses += found is null ? 1 : 0;
            }

            Array.Sort(latencies);
            var p50 = LoadGenerator.Percentile(latencies, 0.50);
            var p99 = LoadGenerator.Percentile(latencies, 0.99);
            report.Rows.Add(new BenchRow(
                "7a. Session store lookup",
                $"{options.Lookups} random `GetAsync` from the database (memory cache off; decrypting ticket and tokens) among {options.Sessions} stored sessions{(misses > 0 ? $", {misses} missed" : string.Empty)}; inserted one `SaveAsync` each at {BenchReport.Num(insertRate)}/s",
                "none (the target is absolute)",
                $"p50 {BenchReport.Ms(p50)}, p99 {BenchReport.Ms(p99)}",
                "p99 < 2 ms",
                p99 < 2 && misses == 0));
        }
    }

    private static async Task<string[]> InsertAsync(IServerSessionStore store, int count)
    {
        var keys = new string[count];
        var now = DateTimeOffset.UtcNow;

        // The store has no batch API: one SaveAsync (one LiteDB transaction) per session, a few at a time.
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            keys[i] = key;
            await store.SaveAsync(new ServerSession
            {
                Key = key,
                Subject = Guid.NewGuid().ToString(),
                SessionId = Guid.NewGuid().ToString(),
                Issuer = "http://127.0.0.1/realms/bff",
                Ticket = RandomNumberGenerator.GetBytes(1500),
                Tokens = new SessionTokens(FakeJwt(1100), now.AddMinutes(5), FakeJwt(700), FakeJwt(1200)),
                Created = now,
                LastSeen = now,
                Expires = now.AddHours(10),
                IdleExpires = now.AddMinutes(30),
                UserAgent = "Mozilla/5.0 (X11; Linux x86_64) Bff.Bench",
                IpAddress = "127.0.0.1",
            }, cancellationToken);
        });
        return keys;
    }

    /// <summary>A random string of a JWT's length (the store encrypts it; its content does not matter).</summary>
    private static string FakeJwt(int length) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(length * 3 / 4));
}
