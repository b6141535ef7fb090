using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.DevIdp;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Bff.Tests.Web;
using Bff.Tokens.Internal;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static Bff.Tests.Proxy.RemoteApiTokenTypeTests;

namespace Bff.Tests.Proxy;

/// <summary>
/// The client-token cache over real HTTP: a token is fetched again once it nears its expiry, an
/// unreachable identity provider is 503 and is not remembered, no token reaches a log line, and two
/// instances on one real Redis share one client token (stored protected, never in clear text).
/// </summary>
public sealed class RemoteApiTokenCacheTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_client_token_near_its_expiry_is_fetched_anew()
    {
        await using var downstream = await CapturingServer.StartAsync();
        await using var stack = await TokenTestRig.StartAsync(accessTokenLifespan: TimeSpan.FromSeconds(4), bffSettings: Routes(downstream));
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetApiAsync("/api/as-client/x")).StatusCode);
        var first = ReceivedToken(await downstream.NextRequestAsync()).GetProperty("jti").GetString();

        // A 4-second token is kept for half its life (the one-minute skew would leave nothing): poll
        // until a call brings a new one.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? latest = first;
        while (latest == first && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetApiAsync("/api/as-client/x")).StatusCode);
            latest = ReceivedToken(await downstream.NextRequestAsync()).GetProperty("jti").GetString();
        }

        Assert.NotEqual(first, latest);
        Assert.True(stack.Idp.TokenRequests(ClientCredentials) >= 2);
    }

    [Fact]
    public async Task An_unreachable_identity_provider_is_503_and_the_next_call_after_it_is_back_gets_a_token()
    {
        await using var downstream = await CapturingServer.StartAsync();
        await using var stack = await TokenTestRig.StartAsync(bffSettings: Routes(downstream));
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);
        await stack.Idp.StopAsync();

        var down = await anonymous.GetApiAsync("/api/as-client/x");
        await stack.Idp.RestartAsync();
        var back = await anonymous.GetApiAsync("/api/as-client/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("identity_provider_unavailable", (await down.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(ServiceAccountId, ReceivedToken(await downstream.NextRequestAsync()).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task No_client_user_or_exchanged_token_reaches_a_log_line()
    {
        var logs = new CapturingLoggerProvider();
        await using var downstream = await CapturingServer.StartAsync();
        var settings = Routes(downstream);
        settings["Logging:LogLevel:Default"] = "Debug";
        await using var stack = await TokenTestRig.StartAsync(bffSettings: settings, configure: builder => logs.AttachTo(builder.Logging));
        using var alice = await stack.SignInAsync("alice");
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetApiAsync("/api/as-client/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/exchanged/x")).StatusCode);
        stack.Idp.ConfigureClient(TestClients.Realm, "bff", client => client.StandardTokenExchangeEnabled = false);
        await stack.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        Assert.Equal(HttpStatusCode.BadGateway, (await alice.GetApiAsync("/api/exchanged/x")).StatusCode);

        var tokens = new List<string>
        {
            Bearer(await downstream.NextRequestAsync()),
            Bearer(await downstream.NextRequestAsync()),
            (await stack.SessionOfAsync(TestUsers.Alice.Id)).Tokens!.AccessToken,
        };
        Assert.NotEmpty(logs.Lines);
        foreach (var token in tokens)
        {
            // The signature part alone is enough to recognise a token in a line.
            var signature = token.Split('.')[^1];
            Assert.DoesNotContain(logs.Lines, line => line.Contains(signature, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_logout_removes_the_sessions_exchanged_token_from_the_cache_at_once()
    {
        await using var downstream = await CapturingServer.StartAsync();
        var settings = Routes(downstream);
        settings["Bff:LogoutMode"] = "Local";
        await using var stack = await TokenTestRig.StartAsync(bffSettings: settings);
        using var alice = await stack.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/exchanged/x")).StatusCode);
        await downstream.NextRequestAsync();
        Assert.Equal(1, stack.Idp.TokenRequests(TokenExchange));
        var session = await stack.SessionOfAsync(TestUsers.Alice.Id);
        var key = DefaultTokenExchangeManager.ExchangedKey(TestClients.DownstreamApi, session.Tokens!.AccessToken);
        var cache = stack.Bff.Services.GetRequiredService<HybridCache>();
        Assert.True(await CachedAsync(cache, key) is not null, "the exchanged token was not cached under the expected key");

        using var landed = await alice.GetAsync(new Uri(stack.Bff.BaseAddress, "/bff/logout?sid=" + (session.SessionId ?? SessionPublicId.Of(session.Key)) + "&returnUrl=%2F"));
        Assert.Equal(new Uri(stack.Bff.BaseAddress, "/"), landed.RequestMessage!.RequestUri);
        Assert.True(await stack.Sessions.GetAsync(session.Key) is null, "the logout left the session in place");

        // The token would otherwise stay for its whole lifetime (minutes): poll briefly for the removal,
        // which runs beside the logout rather than holding it up.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CachedAsync(cache, key) is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(await CachedAsync(cache, key) is null, "the exchanged token is still cached after the logout");
    }

    /// <summary>What the BFF's token cache holds under <paramref name="key"/>, without storing anything.</summary>
    private static async Task<string?> CachedAsync(HybridCache cache, string key) =>
        await cache.GetOrCreateAsync<string?>(
            key,
            _ => ValueTask.FromResult<string?>(null),
            new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite });

    [Fact]
    public async Task Two_instances_on_one_redis_share_one_client_token_and_redis_holds_it_protected()
    {
        var prefix = RedisServer.NewKeyPrefix();
        await using var idp = await DevIdpFixture.StartAsync();
        await using var downstream = await CapturingServer.StartAsync();
        using var folderA = new BffTempFolder();
        using var folderB = new BffTempFolder();
        await using var first = await BffHost.StartAsync(Settings(folderA, idp, downstream, prefix));
        using var toFirst = new BrowserClient(first.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await toFirst.GetApiAsync("/api/as-client/x")).StatusCode);
        await using var second = await BffHost.StartAsync(Settings(folderB, idp, downstream, prefix));
        using var toSecond = new BrowserClient(second.BaseAddress);

        Assert.Equal(HttpStatusCode.OK, (await toSecond.GetApiAsync("/api/as-client/y")).StatusCode);

        Assert.Equal(1, idp.TokenRequests(ClientCredentials));
        var one = Bearer(await downstream.NextRequestAsync());
        var two = Bearer(await downstream.NextRequestAsync());
        Assert.Equal(one, two);
        var stored = await RedisValuesAsync(prefix);
        Assert.Contains(stored, entry => entry.Key.Contains("tokens:client:bff", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, entry => entry.Value.Contains(one.Split('.')[^1], StringComparison.Ordinal));
    }

    private Dictionary<string, string?> Settings(BffTempFolder folder, DevIdpServer idp, CapturingServer downstream, string prefix)
    {
        var settings = BffHost.Settings(folder, idp.Authority());
        settings["Bff:Storage:Sessions"] = "Redis";
        settings["Bff:Storage:RedisKeyPrefix"] = prefix;
        settings["ConnectionStrings:Redis"] = redis.Endpoint;
        foreach (var (key, value) in Routes(downstream))
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task<List<KeyValuePair<string, string>>> RedisValuesAsync(string prefix)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var database = connection.GetDatabase();
        var values = new List<KeyValuePair<string, string>>();
        foreach (var key in connection.GetServers().Single().Keys(pattern: prefix + "*"))
        {
            var text = await database.KeyTypeAsync(key) switch
            {
                RedisType.Hash => string.Join(" ", (await database.HashGetAllAsync(key)).Select(e => e.Name + "=" + e.Value)),
                RedisType.String => (string?)await database.StringGetAsync(key) ?? "",
                _ => "",
            };
            values.Add(new(key.ToString(), text));
        }

        return values;
    }

    private static string Bearer(CapturedRequest request) => request.Headers["Authorization"]["Bearer ".Length..];
}
