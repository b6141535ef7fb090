using System.Text;
using StackExchange.Redis;

namespace Bff.Tests.TestInfra.Servers;

/// <summary>
/// Every key under a prefix and every value in it, whatever its type, as text (each value read both
/// as UTF-8 and as Latin-1, so that a search finds a secret in either), for tests that assert what
/// Redis does not hold. It uses SCAN, which only tests do; the storage itself never scans.
/// </summary>
public static class RedisDump
{
    public static async Task<string> ReadAsync(IConnectionMultiplexer redis, string keyPrefix)
    {
        var database = redis.GetDatabase();
        var text = new StringBuilder();
        foreach (var name in redis.GetServers()[0].Keys(pattern: keyPrefix + "*"))
        {
            text.Append((string?)name).Append('\n');
            var values = await database.KeyTypeAsync(name) switch
            {
                RedisType.Hash => (await database.HashGetAllAsync(name)).SelectMany(e => new[] { e.Name, e.Value }).ToArray(),
                RedisType.Set => await database.SetMembersAsync(name),
                RedisType.SortedSet => await database.SortedSetRangeByRankAsync(name),
                RedisType.List => await database.ListRangeAsync(name),
                _ => [await database.StringGetAsync(name)],
            };
            foreach (var value in values)
            {
                var bytes = (byte[])value!;
                text.Append(Encoding.UTF8.GetString(bytes)).Append('\n').Append(Encoding.Latin1.GetString(bytes)).Append('\n');
            }
        }

        return text.ToString();
    }
}
