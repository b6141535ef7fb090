using System.Globalization;
using System.Text;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Bff.Tests.Sessions;

/// <summary>
/// A real sign-in (DevIdp, real tokens) on the Redis storage: what Redis then holds, read raw.
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
        var text = new StringBuilder();
        foreach (var name in raw.GetServers()[0].Keys(pattern: _prefix + "*"))
        {
            text.Append((string?)name).Append('\n');
            var values = await database.KeyTypeAsync(name) switch
            {
                RedisType.Hash => (await database.HashGetAllAsync(name)).SelectMany(e => new[] { e.Name, e.Value }).ToArray(),
                RedisType.Set => await database.SetMembersAsync(name),
                RedisType.List => await database.ListRangeAsync(name),
                _ => [await database.StringGetAsync(name)],
            };
            foreach (var value in values)
            {
                var bytes = (byte[])value!;
                text.Append(Encoding.UTF8.GetString(bytes)).Append('\n').Append(Encoding.Latin1.GetString(bytes)).Append('\n');
            }
        }

        var all = text.ToString();
        Assert.Contains(_prefix + "session:" + session.Key, all, StringComparison.Ordinal);
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
        var sessionBytes = (long)await database.ExecuteAsync("MEMORY", "USAGE", _prefix + "session:" + session.Key, "SAMPLES", "0");
        var indexBytes = 0L;
        foreach (var name in raw.GetServers()[0].Keys(pattern: _prefix + "sessions:*"))
        {
            indexBytes += (long)await database.ExecuteAsync("MEMORY", "USAGE", name, "SAMPLES", "0");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MEMORY USAGE: session hash {sessionBytes} B, its two index sets {indexBytes} B"));
        Assert.InRange(sessionBytes, 1_000, 32_000);
    }
}
