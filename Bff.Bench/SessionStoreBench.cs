using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Bench;

/// <summary>
/// Rows 7a and 7aR: the real session store (tickets and tokens encrypted with Data Protection) as the
/// BFF registers it, on LiteDB or on Redis, filled with realistic records.
/// </summary>
internal static class SessionStoreBench
{
    /// <summary>The row's name in the table.</summary>
    public static string RowName(bool onRedis) => onRedis ? "7aR. Session store lookup, Redis" : "7a. Session store lookup";

    public static async Task RunAsync(BenchStack stack, bool onRedis, BenchOptions options, BenchReport report, TextWriter progress)
    {
        // A separate database file (or Redis key prefix), through a second (never started) BFF app's
        // service provider, so that the store is exactly the one AddBff registers. Its memory cache is
        // off: every lookup is a storage read and a decryption, the store's worst case (the throughput
        // rows show hits).
        var folder = Path.Combine(stack.Folder, onRedis ? "store-redis" : "store");
        var builder = BffWebApp.CreateBuilder(["--environment", "Production"]);
        builder.Configuration.AddInMemoryCollection(stack.Settings(folder, onRedis));
        builder.Configuration["Bff:Session:CacheSize"] = "0";
        await using (var storeApp = await BffWebApp.BuildAsync(builder))
        {
            var store = storeApp.Services.GetRequiredService<IInternalSessionStore>();
            var redis = onRedis ? stack.RedisEndpoint : null;
            var redisBefore = redis is null ? 0 : await RedisUsedMemoryAsync(redis);
            var insertClock = Stopwatch.StartNew();
            var keys = await InsertAsync(store, options.Sessions);
            var insertRate = options.Sessions / insertClock.Elapsed.TotalSeconds;
            await progress.WriteLineAsync($"inserted {options.Sessions} sessions at {BenchReport.Num(insertRate)}/s");
            var storedBytes = redis is null
                ? Directory.EnumerateFiles(folder, "*.db").Sum(f => new FileInfo(f).Length)
                : await RedisUsedMemoryAsync(redis) - redisBefore;

            // A few lookups first, so that the first measured ones do not pay the JIT.
            for (var i = 0; i < Math.Min(200, keys.Length); i++)
            {
                await store.GetAsync(keys[i]);
            }

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
            var target = onRedis ? 1.0 : 2.0;
            var where = onRedis
                ? $"Redis (a hash per session; `used_memory` grew {BenchReport.Num(storedBytes / 1024.0 / options.Sessions, "0.0")} KiB per stored session, index sets included)"
                : $"LiteDB (file {BenchReport.Num(storedBytes / 1024.0 / 1024.0)} MB, {BenchReport.Num(storedBytes / 1024.0 / options.Sessions, "0.0")} KiB per stored session)";
            report.Rows.Add(new BenchRow(
                RowName(onRedis),
                $"{options.Lookups} random `GetAsync` from the storage (memory cache off; decrypting ticket and tokens) among {options.Sessions} sessions stored in {where}{(misses > 0 ? $", {misses} missed" : string.Empty)}; inserted one `SaveAsync` each at {BenchReport.Num(insertRate)}/s",
                "none (the target is absolute)",
                $"p50 {BenchReport.Ms(p50)}, p99 {BenchReport.Ms(p99)}",
                $"p99 < {BenchReport.Num(target)} ms",
                p99 < target && misses == 0));
        }
    }

    /// <summary>The <c>used_memory</c> (INFO memory) of the Redis server at <paramref name="endpoint"/>, in bytes.</summary>
    public static Task<long> RedisUsedMemoryAsync(string endpoint) => RedisInfo.ReadAsync(endpoint, "memory", "used_memory");

    private static async Task<string[]> InsertAsync(IInternalSessionStore store, int count)
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
