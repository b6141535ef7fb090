namespace Bff.Sessions.Internal;

/// <summary>
/// The Lua scripts of <see cref="RedisSessionStorage"/>: every write that reads first, or that changes
/// a session and its index sets together, runs as one script, so no other client sees it half done.
/// Each successful write publishes the session key on the change channel from inside the script, so
/// the notice cannot be lost between the write and the publish, and arrives after the write.
/// </summary>
/// <remarks>
/// Fields of a session hash: <c>t</c> ticket, <c>d</c> details, <c>k</c> tokens (all protected),
/// <c>c</c>, <c>l</c>, <c>e</c>, <c>i</c> created, last seen, absolute and idle expiry (Unix ms),
/// <c>v</c> version, <c>su</c>, <c>si</c> the subject and sid hashes. The sorted set <c>&lt;index prefix&gt;live</c>
/// scores every session by the time it expires (the earlier of idle and absolute expiry), so counting the
/// live sessions is dropping the expired members and one <c>ZCARD</c>. Index set names are built in the
/// scripts from the prefix, so this runs on one Redis (or a replicated/Sentinel one), not Redis Cluster.
/// Times come from the BFF (its <see cref="TimeProvider"/>), never from the Redis server's clock.
/// </remarks>
internal static class RedisSessionScripts
{
    /// <summary>KEYS: session. ARGV: index prefix, key, ticket, details, tokens or '', created, last seen, expires, idle, su or '', si or '', ttl ms, index ttl ms, channel, message, now. Returns the version.</summary>
    public const string Save = """
        local old = redis.call('HMGET', KEYS[1], 'v', 'su', 'si')
        local v = (tonumber(old[1]) or 0) + 1
        if old[2] and old[2] ~= ARGV[10] then redis.call('SREM', ARGV[1] .. 'sub:' .. old[2], ARGV[2]) end
        if old[3] and old[3] ~= ARGV[11] then redis.call('SREM', ARGV[1] .. 'sid:' .. old[3], ARGV[2]) end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 't', ARGV[3], 'd', ARGV[4], 'c', ARGV[6], 'l', ARGV[7], 'e', ARGV[8], 'i', ARGV[9], 'v', v)
        if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'k', ARGV[5]) end
        local function index(field, kind, value)
            if value == '' then return end
            redis.call('HSET', KEYS[1], field, value)
            local set = ARGV[1] .. kind .. value
            redis.call('SADD', set, ARGV[2])
            if redis.call('PTTL', set) < tonumber(ARGV[13]) then redis.call('PEXPIRE', set, ARGV[13]) end
        end
        index('su', 'sub:', ARGV[10])
        index('si', 'sid:', ARGV[11])
        redis.call('PEXPIRE', KEYS[1], ARGV[12])
        local live = ARGV[1] .. 'live'
        redis.call('ZADD', live, ARGV[9], ARGV[2])
        redis.call('ZREMRANGEBYSCORE', live, '-inf', ARGV[16])
        redis.call('PUBLISH', ARGV[14], ARGV[15])
        return v
        """;

    /// <summary>KEYS: session. ARGV: tokens, expected version or '', now, channel, message. Returns 1 when written.</summary>
    public const string UpdateTokens = """
        local f = redis.call('HMGET', KEYS[1], 'v', 'e', 'i')
        if not f[1] then return 0 end
        local now = tonumber(ARGV[3])
        if tonumber(f[2]) <= now or tonumber(f[3]) <= now then return 0 end
        if ARGV[2] ~= '' and f[1] ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[1], 'k', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'v', 1)
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        return 1
        """;

    /// <summary>KEYS: session. ARGV: ticket, last seen, idle expiry, now, channel, message, index prefix, key. Returns 1 when renewed.</summary>
    public const string Renew = """
        local f = redis.call('HMGET', KEYS[1], 'e', 'i')
        if not f[1] then return 0 end
        local now = tonumber(ARGV[4])
        local e = tonumber(f[1])
        if e <= now or tonumber(f[2]) <= now then return 0 end
        local idle = math.min(tonumber(ARGV[3]), e)
        redis.call('HSET', KEYS[1], 't', ARGV[1], 'l', ARGV[2], 'i', string.format('%d', idle))
        redis.call('PEXPIRE', KEYS[1], string.format('%d', idle - now))
        redis.call('ZADD', ARGV[7] .. 'live', string.format('%d', idle), ARGV[8])
        redis.call('PUBLISH', ARGV[5], ARGV[6])
        return 1
        """;

    /// <summary>KEYS: session. ARGV: index prefix, key, channel, message. Returns the deleted hash (empty when absent).</summary>
    public const string Delete = """
        local all = redis.call('HGETALL', KEYS[1])
        if #all == 0 then return all end
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', ARGV[1] .. 'live', ARGV[2])
        for n = 1, #all, 2 do
            if all[n] == 'su' then redis.call('SREM', ARGV[1] .. 'sub:' .. all[n + 1], ARGV[2]) end
            if all[n] == 'si' then redis.call('SREM', ARGV[1] .. 'sid:' .. all[n + 1], ARGV[2]) end
        end
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        return all
        """;

    /// <summary>
    /// KEYS: the live set. ARGV: now. Drops the sessions that have expired (by themselves, with nobody to
    /// delete them) and returns how many are left.
    /// </summary>
    public const string CountLive = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        return redis.call('ZCARD', KEYS[1])
        """;
}
