using System.Diagnostics;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra.Servers;
using Bff.Tokens;
using Bff.Tokens.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Tests.Tokens;

/// <summary>
/// The refresh lease on a real redis-server, each "instance" with its own connection, as two BFF
/// processes would have.
/// </summary>
public sealed class RedisRefreshLeaseTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    // Short enough that running out is quick to see, long enough that a renewal a loaded machine runs
    // late (every third of it) still lands in time.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    // A prefix of this class's own, as each BFF (or test) sharing one Redis has.
    private static readonly string Prefix = RedisServer.NewKeyPrefix();

    private ConnectionMultiplexer first = null!;
    private ConnectionMultiplexer second = null!;

    public async Task InitializeAsync()
    {
        first = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        second = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Only_one_instance_holds_a_sessions_lease_and_the_other_gets_it_after_release()
    {
        var session = NewSessionKey();
        var a = Coordinator(first);
        var b = Coordinator(second);

        var held = await a.TryAcquireAsync(session);
        Assert.NotNull(held);
        Assert.Null(await b.TryAcquireAsync(session));
        Assert.Null(await a.TryAcquireAsync(session));

        // Another session's lease is independent.
        await using (var other = await b.TryAcquireAsync(NewSessionKey()))
        {
            Assert.NotNull(other);
        }

        await held!.DisposeAsync();
        await using var next = await b.TryAcquireAsync(session);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task A_held_lease_is_renewed_past_its_duration_while_the_refresh_runs()
    {
        var session = NewSessionKey();
        var a = Coordinator(first);
        var b = Coordinator(second);
        await using var held = await a.TryAcquireAsync(session);
        Assert.NotNull(held);

        // Four lease durations: without renewal it would have run out three times over.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < LeaseDuration * 4)
        {
            Assert.Null(await b.TryAcquireAsync(session));
            await Task.Delay(100);
        }

        Assert.False(held!.Lost.IsCancellationRequested);
        Assert.True(await first.GetDatabase().KeyExistsAsync(LeaseKey(session)));
    }

    [Fact]
    public async Task A_holder_whose_lease_ran_out_cannot_release_its_successors_lease_and_learns_it_lost()
    {
        var session = NewSessionKey();
        var a = Coordinator(first);
        var b = Coordinator(second);
        var stalled = await a.TryAcquireAsync(session);
        Assert.NotNull(stalled);

        // As if the holder stalled past its lease: the key is gone and another instance takes it.
        await first.GetDatabase().KeyDeleteAsync(LeaseKey(session));
        await using var successor = await b.TryAcquireAsync(session);
        Assert.NotNull(successor);

        await WaitUntilAsync(() => stalled!.Lost.IsCancellationRequested, "the stalled holder never noticed its lease was gone");
        var successorsOwner = await first.GetDatabase().StringGetAsync(LeaseKey(session));
        await stalled!.DisposeAsync();

        Assert.Equal(successorsOwner, await first.GetDatabase().StringGetAsync(LeaseKey(session)));
        Assert.Null(await a.TryAcquireAsync(session));
        Assert.False(successor!.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task The_lease_of_an_instance_that_died_holding_it_runs_out_and_another_takes_it()
    {
        var session = NewSessionKey();
        var dying = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var held = await Coordinator(dying).TryAcquireAsync(session);
        Assert.NotNull(held);

        // The process is gone: its connection closes and nobody renews or releases the lease.
        await dying.CloseAsync(allowCommandsToComplete: false);
        var b = Coordinator(second);
        var clock = Stopwatch.StartNew();
        IRefreshLease? taken = null;
        while (taken is null && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            taken = await b.TryAcquireAsync(session);
            await Task.Delay(50);
        }

        Assert.NotNull(taken);
        await taken!.DisposeAsync();
        await dying.DisposeAsync();
    }

    [Fact]
    public async Task A_waiting_instance_is_woken_by_the_release_long_before_its_wait_ends()
    {
        var session = NewSessionKey();
        var a = Coordinator(first);
        var b = Coordinator(second);
        var held = await a.TryAcquireAsync(session);
        Assert.NotNull(held);

        // Subscribe first (the first wait subscribes), so the notice below cannot pass unseen.
        await b.WaitForRefreshAsync(session, TimeSpan.FromMilliseconds(50));
        var clock = Stopwatch.StartNew();
        var waiting = b.WaitForRefreshAsync(session, TimeSpan.FromSeconds(60));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await held!.DisposeAsync();

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"woken after {clock.Elapsed}");
        await using var next = await b.TryAcquireAsync(session);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task The_lease_key_names_the_sessions_hash_under_the_key_prefix_never_the_session_key()
    {
        var session = NewSessionKey();
        await using var held = await Coordinator(first).TryAcquireAsync(session);
        Assert.NotNull(held);

        var names = first.GetServers()[0].Keys(pattern: Prefix + "refresh:*").Select(k => (string)k!).ToList();
        Assert.Contains(LeaseKey(session), names);
        Assert.All(names, name => Assert.DoesNotContain(session, name, StringComparison.Ordinal));
    }

    private static RedisRefreshCoordinator Coordinator(IConnectionMultiplexer connection) =>
        new(connection, new FixedOptions(new BffTokenOptions { RefreshLeaseDuration = LeaseDuration }), Options.Create(new SessionStorageOptions { RedisKeyPrefix = Prefix }), TimeProvider.System, NullLogger<RedisRefreshCoordinator>.Instance);

    private static string NewSessionKey() => "session-" + Guid.NewGuid().ToString("N");

    private static string LeaseKey(string session) => Prefix + "refresh:lease:" + SessionIndex.Key(session);

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(50);
        }
    }

    private sealed class FixedOptions(BffTokenOptions value) : IOptionsMonitor<BffTokenOptions>
    {
        public BffTokenOptions CurrentValue => value;

        public BffTokenOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<BffTokenOptions, string?> listener) => null;
    }
}
