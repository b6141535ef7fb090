using System.Globalization;
using Bff.Sessions.Internal;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Bff.Tokens;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Bff.Tests.Sessions;

/// <summary>
/// A real sign-in (DevIdp, real tokens) on the Redis storage: what Redis then holds, read raw, and
/// what an administrator watching Redis would see of it.
/// </summary>
public sealed class RedisSignedInSessionTests(BffLoginFixture fixture, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<BffLoginFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private readonly string _prefix = RedisServer.NewKeyPrefix();
    private BffHost _bff = null!;
    private BrowserClient _browser = null!;

    public async Task InitializeAsync()
    {
        _bff = await fixture.StartBffAsync(_folder, RedisSessionStoreTests.RedisSettings(redis.Endpoint, _prefix));
        _browser = new BrowserClient(_bff.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _bff.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Redis_holds_no_token_no_claim_value_and_no_user_name_of_a_signed_in_session()
    {
        await _browser.SignInAsync(_bff.BaseAddress, TestUsers.Alice.Username, TestUsers.Alice.Password, "/Profile");
        var session = Assert.Single(await _bff.SessionsOfAsync(TestUsers.Alice.Id));
        var tokens = session.Tokens!;
        Assert.NotNull(await _browser.UserAsync());

        using var raw = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var database = raw.GetDatabase();
        var all = await RedisDump.ReadAsync(raw, _prefix);
        Assert.Contains(_prefix + "session:" + SessionIndex.Key(session.Key), all, StringComparison.Ordinal);
        string[] secrets =
        [
            tokens.AccessToken, tokens.RefreshToken!, tokens.IdToken!,
            TestUsers.Alice.Id, TestUsers.Alice.Username, TestUsers.Alice.Email, TestUsers.Alice.FirstName, TestUsers.Alice.LastName,
            session.SessionId!, "/staff/engineering", "notes-editor",
        ];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }

        // Sizing for the operator doc: what one real session costs in Redis.
        var sessionBytes = (long)await database.ExecuteAsync("MEMORY", "USAGE", _prefix + "session:" + SessionIndex.Key(session.Key), "SAMPLES", "0");
        var indexBytes = 0L;
        foreach (var name in raw.GetServers()[0].Keys(pattern: _prefix + "sessions:*"))
        {
            indexBytes += (long)await database.ExecuteAsync("MEMORY", "USAGE", name, "SAMPLES", "0");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MEMORY USAGE: session hash {sessionBytes} B, its index entries {indexBytes} B"));
        Assert.InRange(sessionBytes, 1_000, 32_000);
    }

    [Fact]
    public async Task No_Redis_command_key_name_or_channel_message_carries_the_session_key_or_the_cookie()
    {
        // MONITOR shows every command the server runs, with its key names and arguments, also those of
        // Lua scripts and every PUBLISH: the widest view anyone with access to Redis has of a session's
        // life. A pattern subscription receives what the channels carry.
        await using var monitor = await RedisMonitor.StartAsync(redis.Server);
        using var raw = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var messages = new List<string>();
        await raw.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(_prefix + "*"), (channel, message) =>
        {
            lock (messages)
            {
                messages.Add(channel + " " + message);
            }
        });

        // Sign in, use the session, refresh its tokens (lease, compare-and-set), sign out (delete).
        await _browser.SignInAsync(_bff.BaseAddress, TestUsers.Alice.Username, TestUsers.Alice.Password, "/Profile");
        var session = Assert.Single(await _bff.SessionsOfAsync(TestUsers.Alice.Id));
        var cookie = _browser.GetCookie(_bff.BaseAddress, "__Host-bff");
        Assert.False(string.IsNullOrEmpty(cookie));
        Assert.NotNull(await _browser.UserAsync());
        var refreshed = await _bff.Services.GetRequiredService<IUserTokenManager>()
            .GetAccessTokenAsync(session.Key, new UserTokenRequestParameters { ForceRefresh = true });
        Assert.True(refreshed.Succeeded, refreshed.Error);
        Assert.NotEqual(session.Tokens!.AccessToken, refreshed.AccessToken);
        using (await _browser.GetAsync("/bff/logout?sid=" + Uri.EscapeDataString(session.SessionId!)))
        {
        }

        Assert.Empty(await _bff.SessionsOfAsync(TestUsers.Alice.Id));

        // The session's life as Redis saw it, named by its key's hash everywhere.
        var storageKey = SessionIndex.Key(session.Key);
        await monitor.WaitForAsync(_prefix + "refresh:lease:" + storageKey);
        await monitor.WaitForAsync("\"DEL\" \"" + _prefix + "session:" + storageKey + "\"");
        var seen = monitor.Seen;
        Assert.Contains("\"PUBLISH\" \"" + _prefix + "sessions:changed\"", seen, StringComparison.Ordinal);
        Assert.Contains("\"PUBLISH\" \"" + _prefix + "refresh:released\"", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Key, seen, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie, seen, StringComparison.Ordinal);

        string[] received;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(50);
            lock (messages)
            {
                received = [.. messages];
            }
        }
        while (!received.Any(m => m.StartsWith(_prefix + "refresh:released", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);

        Assert.Contains(received, m => m.StartsWith(_prefix + "sessions:changed", StringComparison.Ordinal) && m.Contains(storageKey, StringComparison.Ordinal));
        Assert.Contains(received, m => m.StartsWith(_prefix + "refresh:released", StringComparison.Ordinal) && m.Contains(storageKey, StringComparison.Ordinal));
        Assert.All(received, m => Assert.DoesNotContain(session.Key, m, StringComparison.Ordinal));
        Assert.All(received, m => Assert.DoesNotContain(cookie, m, StringComparison.Ordinal));
    }
}
