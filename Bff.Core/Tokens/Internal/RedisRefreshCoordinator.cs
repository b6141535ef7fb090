using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Tokens.Internal;

/// <summary>
/// One refresh per session across instances: a Redis lease per session (<c>SET key owner NX PX</c>)
/// and a pub/sub channel on which a holder that let its lease go wakes the instances waiting for it.
/// </summary>
/// <remarks>
/// Lease keys and notices name the session by the hash the session storage files it under
/// (<see cref="SessionIndex.Key"/>), never by its key: the session key is a bearer credential, and
/// Redis key names and messages are seen by whoever administers Redis (<c>MONITOR</c>, <c>SCAN</c>).
/// Both live under <c>Bff:Storage:RedisKeyPrefix</c> with the sessions.
/// </remarks>
internal sealed class RedisRefreshCoordinator(
    IConnectionMultiplexer redis,
    IOptionsMonitor<BffTokenOptions> options,
    IOptions<SessionStorageOptions> storage,
    TimeProvider time,
    ILogger<RedisRefreshCoordinator> logger) : IRefreshCoordinator, IDisposable
{
    private readonly string _leasePrefix = storage.Value.RedisKeyPrefix + "refresh:lease:";
    private readonly RedisChannel _released = RedisChannel.Literal(storage.Value.RedisKeyPrefix + "refresh:released");
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private volatile bool _subscribed;

    public async Task<IRefreshLease?> TryAcquireAsync(string sessionKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        var id = SessionIndex.Key(sessionKey);
        var key = LeaseKey(sessionKey);

        // A random owner per lease: only the instance (and the flight) that set it may renew or
        // delete it, so a holder that stalled past its lease cannot remove its successor's.
        var owner = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var duration = options.CurrentValue.RefreshLeaseDuration;
        var database = redis.GetDatabase();
        if (!await database.StringSetAsync(key, owner, duration, When.NotExists).WaitAsync(cancellationToken))
        {
            return null;
        }

        return RedisRefreshLease.Start(database, key, owner, id, _released, SessionPublicId.Of(sessionKey), duration, time, logger);
    }

    /// <summary>The Redis key of a session's lease.</summary>
    internal RedisKey LeaseKey(string sessionKey) => _leasePrefix + SessionIndex.Key(sessionKey);

    public async Task WaitForRefreshAsync(string sessionKey, TimeSpan upTo, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        await EnsureSubscribedAsync(cancellationToken);
        var id = SessionIndex.Key(sessionKey);
        var waiter = _waiters.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await waiter.Task.WaitAsync(upTo, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // No notice in time (lost, or the holder is still busy): the caller polls the session.
            _waiters.TryRemove(new KeyValuePair<string, TaskCompletionSource>(id, waiter));
        }
    }

    public void Dispose() => _subscribing.Dispose();

    private async Task EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        if (_subscribed)
        {
            return;
        }

        await _subscribing.WaitAsync(cancellationToken);
        try
        {
            if (!_subscribed)
            {
                // StackExchange.Redis subscribes again by itself after a reconnect.
                await redis.GetSubscriber().SubscribeAsync(_released, (_, message) => Released(message));
                _subscribed = true;
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void Released(RedisValue message)
    {
        if (!message.IsNullOrEmpty && _waiters.TryRemove(message.ToString(), out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
