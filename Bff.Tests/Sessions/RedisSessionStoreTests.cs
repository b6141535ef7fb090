using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Bff.Tests.Sessions;

/// <summary>
/// The session store contract on a real Redis (<c>Bff:Storage:Sessions</c> = <c>Redis</c>), plus what
/// only Redis does: keys that expire by themselves, index sets, nothing readable in the raw values.
/// Each test has a key prefix of its own on the shared server.
/// </summary>
public sealed class RedisSessionStoreTests : SessionStoreContract, IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;
    private readonly string _prefix = RedisServer.NewKeyPrefix();
    private readonly ConnectionMultiplexer _raw;

    public RedisSessionStoreTests(RedisFixture redis)
    {
        _redis = redis;
        _raw = ConnectionMultiplexer.Connect(redis.Endpoint);
    }

    internal static Dictionary<string, string?> RedisSettings(string endpoint, string prefix) => new()
    {
        ["Bff:Storage:Sessions"] = "Redis",
        ["Bff:Storage:RedisKeyPrefix"] = prefix,
        ["ConnectionStrings:Redis"] = endpoint,
    };

    protected override IHost CreateHost(IDictionary<string, string?>? settings = null)
    {
        var all = RedisSettings(_redis.Endpoint, _prefix);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return BffServices.CreateHost(Folder, all, configure: services => services.TryAddSingleton<TimeProvider>(Clock));
    }

    // Every value under this test's prefix, whatever its type: the session hash, the index sets and the key ring.
    protected override Task<string> ReadRawAsync(string key) => RedisDump.ReadAsync(_raw, _prefix);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _raw.Dispose();
        }
    }

    [Fact]
    public async Task A_session_key_expires_in_Redis_at_its_idle_expiry_and_renewal_moves_it()
    {
        await Store.SaveAsync(Session("k1"));
        var database = _raw.GetDatabase();

        var ttl = await database.KeyTimeToLiveAsync(SessionName("k1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));

        Assert.True(await Store.RenewAsync("k1", [1], Clock.GetUtcNow(), Clock.GetUtcNow().AddHours(2)));
        ttl = await database.KeyTimeToLiveAsync(SessionName("k1"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(120));

        // The index sets live as long as the longest absolute expiry of their sessions.
        var index = _prefix + "sessions:sub:" + SessionIndex.Subject(Subject);
        Assert.True(await database.SetContainsAsync(index, SessionIndex.Key("k1")));
        Assert.InRange((await database.KeyTimeToLiveAsync(index))!.Value, TimeSpan.FromHours(9.9), TimeSpan.FromHours(10));
    }

    [Fact]
    public async Task A_session_that_Redis_expired_is_gone_and_leaves_its_index_entry_behind_only_until_the_next_lookup()
    {
        await Store.SaveAsync(Session("k1"));
        await Store.SaveAsync(Session("k2"));
        var database = _raw.GetDatabase();
        var index = _prefix + "sessions:sub:" + SessionIndex.Subject(Subject);

        // What Redis does when the TTL runs out.
        Assert.True(await database.KeyDeleteAsync(SessionName("k1")));

        Assert.Null(await Store.GetFreshAsync("k1"));
        Assert.Equal(["k2"], (await Store.FindAsync(new SessionFilter(Subject: Subject))).Select(s => s.Key));
        Assert.Equal([SessionIndex.Key("k2")], (await database.SetMembersAsync(index)).Select(v => (string)v!));
    }

    [Fact]
    public async Task No_Redis_key_name_or_index_member_holds_a_session_key_or_a_claim_value()
    {
        const string key = "k1-a-session-key-of-some-length";
        await Store.SaveAsync(Session(key));

        var names = _raw.GetServers()[0].Keys(pattern: _prefix + "*").Select(k => (string)k!).ToList();

        Assert.Contains(SessionName(key), names);
        Assert.Contains(SessionIndex.Key(key), await ReadRawAsync(key), StringComparison.Ordinal);
        Assert.DoesNotContain(key, await ReadRawAsync(key), StringComparison.Ordinal);
        Assert.Contains(names, n => n.StartsWith(_prefix + "sessions:sid:", StringComparison.Ordinal));
        Assert.All(names, n => Assert.DoesNotContain(Subject, n, StringComparison.Ordinal));
        Assert.All(names, n => Assert.DoesNotContain(ProviderSessionId, n, StringComparison.Ordinal));
    }

    /// <summary>The Redis key of a session: named by its key's hash.</summary>
    private string SessionName(string key) => _prefix + "session:" + SessionIndex.Key(key);
}
