using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bff.Logout;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Tests.Sessions;

/// <summary>
/// Two BFF hosts in this process on one real Redis and one key prefix, each with a folder of its own
/// (so nothing is shared through the disk): the key ring, the sessions, the memory caches and the
/// logout-token replay cache behave as one BFF.
/// </summary>
public sealed class RedisSharedInstancesTests : IClassFixture<RedisFixture>, IDisposable
{
    private readonly RedisFixture _redis;
    private readonly string _prefix = RedisServer.NewKeyPrefix();
    private readonly BffTempFolder _folderA = new();
    private readonly BffTempFolder _folderB = new();
    private readonly List<IHost> _hosts = [];

    public RedisSharedInstancesTests(RedisFixture redis) => _redis = redis;

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _folderA.Dispose();
        _folderB.Dispose();
    }

    private IHost Instance(BffTempFolder folder, IDictionary<string, string?>? settings = null)
    {
        var all = RedisSessionStoreTests.RedisSettings(_redis.Endpoint, _prefix);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = BffServices.CreateHost(folder, all);
        _hosts.Add(host);
        return host;
    }

    private static IInternalSessionStore Store(IHost host) => host.Services.GetRequiredService<IInternalSessionStore>();

    private static ServerSession Session(string key, string sub = "alice") => new()
    {
        Key = key,
        Subject = sub,
        SessionId = "sid-" + key,
        Ticket = Encoding.UTF8.GetBytes("ticket-" + key),
        Tokens = new SessionTokens("access-" + key, DateTimeOffset.UtcNow.AddMinutes(5), "refresh-" + key, null),
        Created = DateTimeOffset.UtcNow,
        LastSeen = DateTimeOffset.UtcNow,
        Expires = DateTimeOffset.UtcNow.AddHours(1),
        IdleExpires = DateTimeOffset.UtcNow.AddMinutes(30),
    };

    /// <summary>Polls (a notice travels asynchronously) until the condition holds or 15 s passed.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Changes a session's creation time in Redis directly: no store, so no notice.</summary>
    private async Task MarkBehindTheStoresAsync(string key, int year)
    {
        using var raw = await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint);
        await raw.GetDatabase().HashSetAsync(_prefix + "session:" + SessionIndex.Key(key), "c", new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
    }

    private string WriteCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=bff-keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folderA.Path, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "pfx"));
        return path;
    }

    [Fact]
    public async Task A_cookie_and_a_session_made_by_one_instance_open_on_the_other()
    {
        var a = Instance(_folderA);
        var b = Instance(_folderB);
        static ISecureDataFormat<AuthenticationTicket> CookieFormat(IHost host) =>
            host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(BffAuthenticationDefaults.CookieScheme).TicketDataFormat;
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "test")), BffAuthenticationDefaults.CookieScheme);

        var cookie = CookieFormat(a).Protect(ticket);
        await Store(a).SaveAsync(Session("k1"));

        Assert.Equal("alice", CookieFormat(b).Unprotect(cookie)?.Principal.FindFirst("sub")?.Value);
        Assert.Equal("refresh-k1", (await Store(b).GetAsync("k1"))?.Tokens?.RefreshToken);
        Assert.False(Directory.Exists(_folderA.KeysPath) && Directory.EnumerateFiles(_folderA.KeysPath).Any(), "The key ring went to the disk, not to Redis.");
    }

    [Fact]
    public async Task Two_instances_starting_together_on_an_empty_key_ring_read_each_other_s_cookies()
    {
        var a = Instance(_folderA);
        var b = Instance(_folderB);
        static ISecureDataFormat<AuthenticationTicket> CookieFormat(IHost host) =>
            host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(BffAuthenticationDefaults.CookieScheme).TicketDataFormat;
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "test")), BffAuthenticationDefaults.CookieScheme);

        // Both make their first key at once (two replicas of a fresh deployment).
        var cookies = await Task.WhenAll(Task.Run(() => CookieFormat(a).Protect(ticket)), Task.Run(() => CookieFormat(b).Protect(ticket)));

        Assert.Equal("alice", CookieFormat(b).Unprotect(cookies[0])?.Principal.FindFirst("sub")?.Value);
        Assert.Equal("alice", CookieFormat(a).Unprotect(cookies[1])?.Principal.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task The_key_ring_in_Redis_is_encrypted_with_the_certificate_when_one_is_configured()
    {
        var certificate = new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = WriteCertificate(), ["DataProtection:CertificatePassword"] = "pfx" };
        var a = Instance(_folderA, certificate);
        await Store(a).SaveAsync(Session("k1"));

        using var raw = await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint);
        var keyRing = string.Concat((await raw.GetDatabase().ListRangeAsync(_prefix + "dataprotection-keys")).Select(v => (string?)v));
        Assert.Contains("EncryptedData", keyRing, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", keyRing, StringComparison.Ordinal);

        var b = Instance(_folderB, certificate);
        Assert.Equal("refresh-k1", (await Store(b).GetAsync("k1"))?.Tokens?.RefreshToken);
    }

    [Fact]
    public async Task A_session_deleted_or_refreshed_on_one_instance_is_not_served_from_the_memory_of_the_other()
    {
        // A lifetime far beyond the test: only the change notice can make B read again.
        var longCache = new Dictionary<string, string?> { ["Bff:Session:SharedCacheLifetime"] = "01:00:00" };
        var a = Instance(_folderA, longCache);
        var b = Instance(_folderB, longCache);
        await Store(a).SaveAsync(Session("k1"));
        await Store(a).SaveAsync(Session("k2", sub: "bob"));
        var created = (await Store(b).GetAsync("k1"))!.Created.Year;
        Assert.NotNull(await Store(b).GetAsync("k2"));

        // B serves k1 from memory: a change made behind both stores is not seen...
        await MarkBehindTheStoresAsync("k1", 2001);
        Assert.Equal(created, (await Store(b).GetAsync("k1"))!.Created.Year);

        // ...but a token write on A is, and so are deletions, by key and by subject.
        var refreshed = new SessionTokens("access-new", DateTimeOffset.UtcNow.AddMinutes(5), "refresh-new", null);
        Assert.True(await Store(a).UpdateTokensAsync("k1", refreshed));
        Assert.True(await EventuallyAsync(async () => (await Store(b).GetAsync("k1"))?.Tokens?.RefreshToken == "refresh-new"));
        Assert.Equal(2001, (await Store(b).GetAsync("k1"))!.Created.Year);

        Assert.True(await Store(a).DeleteAsync("k1"));
        Assert.True(await EventuallyAsync(async () => await Store(b).GetAsync("k1") is null));

        Assert.Single(await Store(a).DeleteAsync(new SessionFilter(Subject: "bob")));
        Assert.True(await EventuallyAsync(async () => await Store(b).GetAsync("k2", includeTokens: false) is null));
    }

    [Fact]
    public async Task Without_a_notice_a_remembered_session_is_read_again_after_the_shared_cache_lifetime()
    {
        var b = Instance(_folderB, new Dictionary<string, string?> { ["Bff:Session:SharedCacheLifetime"] = "00:00:01" });
        await Store(b).SaveAsync(Session("k1"));
        Assert.NotNull(await Store(b).GetAsync("k1"));

        // A lost notice is what a write behind the stores looks like to B.
        await MarkBehindTheStoresAsync("k1", 2001);

        Assert.True(await EventuallyAsync(async () => (await Store(b).GetAsync("k1"))?.Created.Year == 2001));
    }

    [Fact]
    public async Task A_logout_token_id_seen_by_one_instance_is_refused_by_the_other_and_after_both_restarted()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);
        var a = Instance(_folderA);
        var b = Instance(_folderB);

        Assert.True(await a.Services.GetRequiredService<ILogoutTokenReplayCache>().TryAddAsync("https://idp|jti-1", expires));
        Assert.False(await b.Services.GetRequiredService<ILogoutTokenReplayCache>().TryAddAsync("https://idp|jti-1", expires));
        Assert.True(await b.Services.GetRequiredService<ILogoutTokenReplayCache>().TryAddAsync("https://idp|jti-2", expires));

        a.Dispose();
        b.Dispose();
        var restarted = Instance(_folderA);
        Assert.False(await restarted.Services.GetRequiredService<ILogoutTokenReplayCache>().TryAddAsync("https://idp|jti-1", expires));
        Assert.False(await restarted.Services.GetRequiredService<ILogoutTokenReplayCache>().TryAddAsync("https://idp|jti-2", expires));

        using var raw = await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint);
        var remembered = raw.GetServers()[0].Keys(pattern: _prefix + "logout-jti:*").ToList();
        Assert.Equal(2, remembered.Count);
        Assert.All(remembered, key => Assert.InRange(raw.GetDatabase().KeyTimeToLive(key)!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_logout_token_is_refused_when_Redis_cannot_be_reached()
    {
        var unreachable = Instance(_folderA, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{ServerProcess.FreePort()},connectTimeout=500,asyncTimeout=1000",
        });

        Assert.False(await unreachable.Services.GetRequiredService<ILogoutTokenReplayCache>().TryAddAsync("https://idp|jti-1", DateTimeOffset.UtcNow.AddMinutes(5)));
    }
}
