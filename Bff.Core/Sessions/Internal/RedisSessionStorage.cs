using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Sessions.Internal;

/// <summary>
/// The <see cref="ISessionStorage"/> for several instances: one Redis hash per session that expires by
/// itself (key TTL = idle expiry, moved by renewal, never past the absolute one), and one set per
/// subject hash and per sid hash, so back-channel logout and "end my sessions" work from any instance
/// without <c>KEYS</c> or <c>SCAN</c>. Writes run as Lua scripts (<see cref="RedisSessionScripts"/>)
/// that also publish the changed key, which every instance's memory cache listens to.
/// </summary>
/// <remarks>
/// <para>
/// Every key this class is given is already the hash of a session key (<see cref="StoredSession.Key"/>),
/// so key names, index set members, script arguments (which <c>MONITOR</c> and the slow log show) and
/// notices carry no session key.
/// </para>
/// <para>
/// Index sets hold keys of sessions that may have expired since; readers skip those and remove them,
/// and a set expires by itself once the longest-lived session in it has reached its absolute expiry.
/// </para>
/// </remarks>
internal sealed class RedisSessionStorage : ISessionStorage, ISessionStorageNotifications, ISessionEndNotices, ISessionStorageCount
{
    // Ended notices share the change channel; the colon keeps them apart from session keys (base64url).
    private const string EndedMarker = "ended:";

    // One id per process, so an instance does not drop its own memory for its own writes.
    private readonly string _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisSessionStorage> _logger;
    private readonly string _sessionPrefix;
    private readonly string _indexPrefix;
    private readonly RedisChannel _channel;

    public RedisSessionStorage(IConnectionMultiplexer redis, IOptions<SessionStorageOptions> options, TimeProvider time, ILogger<RedisSessionStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _time = time;
        _logger = logger;
        var prefix = options.Value.RedisKeyPrefix;
        _sessionPrefix = prefix + "session:";
        _indexPrefix = prefix + "sessions:";
        _channel = RedisChannel.Literal(prefix + "sessions:changed");
    }

    private IDatabase Database => _redis.GetDatabase();

    public async Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var fields = await Database.HashGetAllAsync(SessionKey(key)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return Read(key, fields) is { } session && !IsExpired(session) ? session : null;
    }

    public async Task<long> SaveAsync(StoredSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var now = _time.GetUtcNow();
        var idle = session.IdleExpires < session.Expires ? session.IdleExpires : session.Expires;
        var result = await Database.ScriptEvaluateAsync(
            RedisSessionScripts.Save,
            [SessionKey(session.Key)],
            [
                _indexPrefix, session.Key, session.Ticket, session.Details, session.Tokens ?? [],
                Ms(session.Created), Ms(session.LastSeen), Ms(session.Expires), Ms(idle),
                session.SubjectIndex ?? "", session.SessionIdIndex ?? "",
                TtlMs(idle, now), TtlMs(session.Expires, now),
                _channel.ToString(), Message(session.Key), Ms(now),
            ]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result;
    }

    public async Task<bool> UpdateTokensAsync(string key, byte[] protectedTokens, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(protectedTokens);
        var expected = expectedVersion is { } version ? version.ToString(CultureInfo.InvariantCulture) : "";
        var result = await Database.ScriptEvaluateAsync(
            RedisSessionScripts.UpdateTokens,
            [SessionKey(key)],
            [protectedTokens, expected, Ms(_time.GetUtcNow()), _channel.ToString(), Message(key)]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async Task<bool> RenewAsync(string key, byte[] protectedTicket, DateTimeOffset lastSeen, DateTimeOffset idleExpires, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(protectedTicket);
        var result = await Database.ScriptEvaluateAsync(
            RedisSessionScripts.Renew,
            [SessionKey(key)],
            [protectedTicket, Ms(lastSeen), Ms(idleExpires), Ms(_time.GetUtcNow()), _channel.ToString(), Message(key), _indexPrefix, key]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>
    /// The live sessions of every instance: the live set after dropping what expired (O(log N) plus the
    /// members dropped; <c>bff.sessions.active</c> asks at most every 10 s). Sessions written before the set
    /// existed join it at their next renewal.
    /// </summary>
    public long CountLive(DateTimeOffset now) =>
        (long)Database.ScriptEvaluate(RedisSessionScripts.CountLive, [_indexPrefix + "live"], [Ms(now)]);

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await DeleteOneAsync(key, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<StoredSession>> FindAsync(StoredSessionFilter filter, CancellationToken cancellationToken = default)
    {
        var keys = await MembersAsync(filter, cancellationToken).ConfigureAwait(false);
        var database = Database;
        var reads = keys.Select(key => database.HashGetAllAsync(SessionKey(key))).ToList();
        var found = new List<StoredSession>(keys.Count);
        for (var n = 0; n < keys.Count; n++)
        {
            var session = Read(keys[n], await reads[n].WaitAsync(cancellationToken).ConfigureAwait(false));
            if (session is not null && Matches(session, filter) && !IsExpired(session))
            {
                found.Add(session);
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<StoredSession>> DeleteAsync(StoredSessionFilter filter, CancellationToken cancellationToken = default)
    {
        var keys = await MembersAsync(filter, cancellationToken).ConfigureAwait(false);
        var deleted = new List<StoredSession>();
        foreach (var key in keys)
        {
            // Only the sessions that really match: a member of the sid set may belong to another subject.
            var session = Read(key, await Database.HashGetAllAsync(SessionKey(key)).WaitAsync(cancellationToken).ConfigureAwait(false));
            if (session is null || !Matches(session, filter))
            {
                continue;
            }

            if (await DeleteOneAsync(key, cancellationToken).ConfigureAwait(false) is { } gone && !IsExpired(gone))
            {
                deleted.Add(gone);
            }
        }

        return deleted;
    }

    public void Subscribe(Action<string?> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var marker = _instance + "|";

        // Notices sent while this instance was cut off are lost: everything remembered is suspect.
        _redis.ConnectionFailed += (_, _) => changed(null);
        _redis.ConnectionRestored += (_, _) => changed(null);
        _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) =>
        {
            var text = (string?)message;
            if (text is not null && !text.StartsWith(marker, StringComparison.Ordinal) && text.IndexOf('|', StringComparison.Ordinal) is var bar and >= 0
                && string.CompareOrdinal(text, bar + 1, EndedMarker, 0, EndedMarker.Length) != 0)
            {
                changed(text[(bar + 1)..]);
            }
        }).ContinueWith(
            task => _logger.SessionNotificationsUnavailable(task.Exception!),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    public async Task PublishEndedAsync(string publicId, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicId);
        await _redis.GetSubscriber().PublishAsync(_channel, _instance + "|" + EndedMarker + publicId + ":" + reason).ConfigureAwait(false);
    }

    public void SubscribeEnded(Action<string, string> ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        var prefix = _instance + "|";
        _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) =>
        {
            // "<instance>|ended:<public id>:<reason>" from another instance; this one's own were delivered here already.
            var text = (string?)message;
            if (text is null || text.StartsWith(prefix, StringComparison.Ordinal) || text.IndexOf('|', StringComparison.Ordinal) is not (var bar and >= 0)
                || string.CompareOrdinal(text, bar + 1, EndedMarker, 0, EndedMarker.Length) != 0)
            {
                return;
            }

            var payload = text[(bar + 1 + EndedMarker.Length)..];
            if (payload.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                ended(payload[..colon], payload[(colon + 1)..]);
            }
        }).ContinueWith(
            task => _logger.SessionNotificationsUnavailable(task.Exception!),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    private async Task<StoredSession?> DeleteOneAsync(string key, CancellationToken cancellationToken)
    {
        var result = await Database.ScriptEvaluateAsync(
            RedisSessionScripts.Delete,
            [SessionKey(key)],
            [_indexPrefix, key, _channel.ToString(), Message(key)]).WaitAsync(cancellationToken).ConfigureAwait(false);
        var items = (RedisResult[]?)result ?? [];
        if (items.Length == 0)
        {
            return null;
        }

        var fields = new HashEntry[items.Length / 2];
        for (var n = 0; n < fields.Length; n++)
        {
            fields[n] = new HashEntry((RedisValue)items[2 * n], (RedisValue)items[(2 * n) + 1]);
        }

        // A hash that cannot be read still existed: report it deleted, with what can be told.
        return Read(key, fields) ?? new StoredSession { Key = key, Ticket = [], Details = [] };
    }

    /// <summary>The keys in the smaller index set the filter names (the sid's, when given).</summary>
    private async Task<List<string>> MembersAsync(StoredSessionFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var set = filter.SessionIdIndex is { } sid ? _indexPrefix + "sid:" + sid
            : filter.SubjectIndex is { } sub ? _indexPrefix + "sub:" + sub
            : throw new ArgumentException("A session filter needs a subject or a session id.", nameof(filter));
        var database = Database;
        var members = await database.SetMembersAsync(set).WaitAsync(cancellationToken).ConfigureAwait(false);
        var keys = members.Select(m => (string)m!).ToList();

        // Drop the members whose session is gone (expired by its TTL), so sets do not grow.
        var exists = keys.Select(key => database.KeyExistsAsync(SessionKey(key))).ToList();
        var stale = new List<RedisValue>();
        for (var n = 0; n < keys.Count; n++)
        {
            if (!await exists[n].WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                stale.Add(keys[n]);
            }
        }

        if (stale.Count > 0)
        {
            await database.SetRemoveAsync(set, [.. stale]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return [.. keys.Except(stale.Select(s => (string)s!), StringComparer.Ordinal)];
    }

    private static bool Matches(StoredSession session, StoredSessionFilter filter) =>
        (filter.SubjectIndex is null || string.Equals(session.SubjectIndex, filter.SubjectIndex, StringComparison.Ordinal))
        && (filter.SessionIdIndex is null || string.Equals(session.SessionIdIndex, filter.SessionIdIndex, StringComparison.Ordinal));

    private bool IsExpired(StoredSession session)
    {
        var now = _time.GetUtcNow();
        return session.Expires <= now || session.IdleExpires <= now;
    }

    private RedisKey SessionKey(string key) => _sessionPrefix + key;

    private string Message(string key) => _instance + "|" + key;

    private static StoredSession? Read(string key, HashEntry[] fields)
    {
        if (fields.Length == 0)
        {
            return null;
        }

        var values = fields.ToDictionary(f => (string)f.Name!, f => f.Value, StringComparer.Ordinal);
        if (!values.TryGetValue("t", out var ticket) || !values.TryGetValue("d", out var details)
            || !values.TryGetValue("e", out var expires) || !values.TryGetValue("i", out var idle) || !values.TryGetValue("v", out var version))
        {
            return null;
        }

        return new StoredSession
        {
            Key = key,
            SubjectIndex = values.TryGetValue("su", out var su) ? (string?)su : null,
            SessionIdIndex = values.TryGetValue("si", out var si) ? (string?)si : null,
            Ticket = (byte[])ticket!,
            Details = (byte[])details!,
            Tokens = values.TryGetValue("k", out var tokens) ? (byte[]?)tokens : null,
            Created = FromMs(values.GetValueOrDefault("c")),
            LastSeen = FromMs(values.GetValueOrDefault("l")),
            Expires = FromMs(expires),
            IdleExpires = FromMs(idle),
            Version = (long)version,
        };
    }

    private static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>Milliseconds from now to <paramref name="until"/>, at least 1 (0 or less would delete at once, which is right only for the past).</summary>
    private static long TtlMs(DateTimeOffset until, DateTimeOffset now) => Math.Max(1, (long)(until - now).TotalMilliseconds);

    private static DateTimeOffset FromMs(RedisValue value) =>
        value.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.MinValue;
}
