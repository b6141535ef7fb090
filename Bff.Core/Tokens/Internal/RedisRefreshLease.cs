using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Bff.Tokens.Internal;

/// <summary>
/// A held Redis refresh lease: renewed every third of its duration while the refresh runs, deleted
/// on dispose only if it is still ours (compare-and-delete in one script), then announced.
/// </summary>
internal sealed class RedisRefreshLease : IRefreshLease
{
    // Both compare the owner and act in one script, so no other client's command can fall between
    // the check and the act (a GET then DEL from here could delete a successor's fresh lease).
    private const string RenewScript =
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    private const string ReleaseScript =
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private readonly IDatabase _database;
    private readonly RedisKey _key;
    private readonly RedisValue _owner;
    private readonly string _id;
    private readonly RedisChannel _released;
    private readonly string _logId;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _renewal = Task.CompletedTask;

    private RedisRefreshLease(IDatabase database, RedisKey key, RedisValue owner, string id, RedisChannel released, string publicId, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _database = database;
        _key = key;
        _owner = owner;
        _id = id;
        _released = released;

        // Logs name the session as every other log line does: by the start of its public id.
        _logId = publicId[..8];
        _duration = duration;
        _time = time;
        _logger = logger;
    }

    public CancellationToken Lost => _lost.Token;

    /// <summary>Starts renewing a lease just taken.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="key">The lease key.</param>
    /// <param name="owner">This holder's random owner token, the lease key's value.</param>
    /// <param name="id">The session as Redis knows it (the hash of its key), announced on release.</param>
    /// <param name="released">The channel the release is announced on.</param>
    /// <param name="publicId">The session's public id, for logs.</param>
    /// <param name="duration">The lease's duration.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public static RedisRefreshLease Start(IDatabase database, RedisKey key, RedisValue owner, string id, RedisChannel released, string publicId, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        var lease = new RedisRefreshLease(database, key, owner, id, released, publicId, duration, time, logger);
        lease._renewal = Task.Run(lease.RenewAsync);
        return lease;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        try
        {
            await _database.ScriptEvaluateAsync(ReleaseScript, [_key], [_owner]);
            await _database.PublishAsync(_released, _id);
        }
        catch (RedisException e)
        {
            // The lease runs out by itself and waiters poll: nobody waits longer than the lease.
            _logger.LeaseReleaseFailed(_logId, e.GetType().Name);
        }

        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task RenewAsync()
    {
        var period = _duration / 3;
        var renewedAt = _time.GetTimestamp();
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var renewed = (long)await _database.ScriptEvaluateAsync(
                        RenewScript, [_key], [_owner, (long)_duration.TotalMilliseconds]).WaitAsync(period, _time, _stop.Token);
                    if (renewed == 0)
                    {
                        // Gone or someone else's: it ran out (a stall longer than the lease).
                        _logger.LeaseLost(_logId);
                        await _lost.CancelAsync();
                        return;
                    }

                    renewedAt = _time.GetTimestamp();
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Keep trying while the last renewal still holds; give up a third before it ends,
                    // so the refresh stops before another instance can take the lease.
                    if (_time.GetElapsedTime(renewedAt) >= _duration - period)
                    {
                        _logger.LeaseLost(_logId);
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Released.
        }
    }
}
