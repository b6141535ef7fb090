using System.Diagnostics;
using Bff.Sessions;
using Bff.Tests.TestInfra.Servers;
using Bff.Tokens;
using Bff.Tokens.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Tests.Tokens;

/// <summary>
/// The token service of one instance on a real Redis lease, with the test playing the other
/// instance: it takes the session's lease, writes tokens, dies holding it. The session store is the
/// harness's own; what is shared here is the lease, which is what decides who calls the token endpoint.
/// </summary>
public sealed class CrossInstanceRefreshTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // Short enough that waiting for a dead holder's lease to run out stays quick, long enough that a
    // renewal a loaded machine runs a second late does not lose it.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task While_another_instance_holds_the_lease_this_one_waits_and_uses_the_tokens_it_wrote()
    {
        await using var other = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        await using var harness = await StartAsync();
        var key = await harness.CreateExpiredSessionAsync();
        var lease = await OtherInstance(other).TryAcquireAsync(key);
        Assert.NotNull(lease);

        var waiting = harness.Tokens.GetAccessTokenAsync(key);
        await Task.Delay(LeaseDuration * 2);
        Assert.False(waiting.IsCompleted, "the request did not wait for the lease holder");

        // The other instance refreshed: it writes the new tokens, then lets the lease go.
        await harness.Store.UpdateTokensAsync(key, new SessionTokens("at-from-the-other-instance", DateTimeOffset.UtcNow.AddMinutes(5), "rt-other", "id"));
        await lease!.DisposeAsync();
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("at-from-the-other-instance", result.AccessToken);
        Assert.Equal(0, harness.Idp.RefreshGrants);
    }

    [Fact]
    public async Task When_the_holder_died_this_instance_refreshes_once_its_lease_runs_out()
    {
        await using var harness = await StartAsync();
        var key = await harness.CreateExpiredSessionAsync();
        var refreshToken = (await harness.Store.GetAsync(key))!.Tokens!.RefreshToken!;
        var dying = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        Assert.NotNull(await OtherInstance(dying).TryAcquireAsync(key));
        await dying.CloseAsync(allowCommandsToComplete: false);

        var result = await harness.Tokens.GetAccessTokenAsync(key).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(1, harness.Idp.RefreshGrants);
        Assert.False(harness.Idp.IsLive(refreshToken));
        Assert.Equal(result.AccessToken, (await harness.Store.GetAsync(key))!.Tokens!.AccessToken);
        await dying.DisposeAsync();
    }

    [Fact]
    public async Task A_holder_that_never_finishes_gets_a_503_here_after_the_wait_and_the_session_is_kept()
    {
        await using var other = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        await using var harness = await StartAsync(waitTimeout: TimeSpan.FromSeconds(3));
        var key = await harness.CreateExpiredSessionAsync();
        // A lease far longer than the wait, so a renewal that a loaded machine runs late cannot lose it.
        await using var lease = await OtherInstance(other, TimeSpan.FromMinutes(2)).TryAcquireAsync(key);
        Assert.NotNull(lease);

        var clock = Stopwatch.StartNew();
        var result = await harness.Tokens.GetAccessTokenAsync(key).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(TokenErrorKind.Transient, result.ErrorKind);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"gave up after {clock.Elapsed}");
        Assert.Equal(0, harness.Idp.RefreshGrants);
        Assert.NotNull(await harness.Store.GetAsync(key));
        Assert.Equal(503, Bff.Tokens.Internal.TokenProblems.ForTokenFailure(result).Status);
    }

    [Fact]
    public async Task A_holder_that_stalled_while_another_wrote_newer_tokens_keeps_those_and_overwrites_nothing()
    {
        // The stall is the token endpoint's delay, not a lost lease: a lease far longer than the delay
        // keeps a renewal that a loaded machine runs late from turning this into a lease-lost failure.
        await using var harness = await StartAsync(leaseDuration: TimeSpan.FromSeconds(10));
        harness.Idp.Delay = TimeSpan.FromSeconds(2);
        var key = await harness.CreateExpiredSessionAsync();

        var stalled = harness.Tokens.GetAccessTokenAsync(key);
        await WaitUntilAsync(() => harness.Idp.RefreshGrants == 1);

        // Meanwhile the session got newer tokens elsewhere (its version moved on).
        var newer = new SessionTokens("at-newer", DateTimeOffset.UtcNow.AddMinutes(5), "rt-newer", "id");
        await harness.Store.UpdateTokensAsync(key, newer);
        var result = await stalled.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("at-newer", result.AccessToken);
        var stored = await harness.Store.GetFreshAsync(key);
        Assert.Equal("at-newer", stored!.Tokens!.AccessToken);
        Assert.Equal("rt-newer", stored.Tokens.RefreshToken);
    }

    [Fact]
    public async Task Concurrent_requests_on_two_instances_refresh_once()
    {
        // Two token services (two "instances") over one session store would need a shared store;
        // here both run in one harness process but each has its own single flight and its own Redis
        // connection, so only the lease keeps them from both calling the token endpoint.
        await using var harness = await StartAsync();
        var key = await harness.CreateExpiredSessionAsync();
        await using var secondConnection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var second = harness.SecondTokenService(secondConnection);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => i % 2 == 0
            ? harness.SessionTokens.GetAccessTokenAsync(key, forceRefresh: false, CancellationToken.None)
            : second.GetAccessTokenAsync(key, forceRefresh: false, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));
        Assert.Equal(1, harness.Idp.RefreshGrants);
        Assert.Single(results.Select(r => r.AccessToken).Distinct());
    }

    private async Task<TokenServiceHarness> StartAsync(TimeSpan? waitTimeout = null, TimeSpan? leaseDuration = null)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        return await TokenServiceHarness.StartAsync(
            new Dictionary<string, string?>
            {
                ["Bff:RefreshLeaseDuration"] = (leaseDuration ?? LeaseDuration).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                ["Bff:RefreshWaitTimeout"] = (waitTimeout ?? TimeSpan.FromSeconds(30)).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            },
            services => services.AddSingleton<IConnectionMultiplexer>(connection));
    }

    private static RedisRefreshCoordinator OtherInstance(IConnectionMultiplexer connection, TimeSpan? leaseDuration = null) =>
        new(connection, new StaticOptionsMonitor(new BffTokenOptions { RefreshLeaseDuration = leaseDuration ?? LeaseDuration }), Options.Create(new SessionStorageOptions()), TimeProvider.System, NullLogger<RedisRefreshCoordinator>.Instance);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out");
            await Task.Delay(20);
        }
    }

    private sealed class StaticOptionsMonitor(BffTokenOptions value) : IOptionsMonitor<BffTokenOptions>
    {
        public BffTokenOptions CurrentValue => value;

        public BffTokenOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<BffTokenOptions, string?> listener) => null;
    }
}
