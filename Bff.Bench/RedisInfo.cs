using System.Globalization;
using StackExchange.Redis;

namespace Bff.Bench;

/// <summary>One figure of Redis's <c>INFO</c>, read over a connection of the harness's own.</summary>
internal static class RedisInfo
{
    /// <summary>The value of <paramref name="field"/> in <c>INFO <paramref name="section"/></c> (e.g. <c>memory</c>, <c>used_memory</c>).</summary>
    public static async Task<long> ReadAsync(string endpoint, string section, string field)
    {
        // INFO is an admin command to StackExchange.Redis.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(endpoint + ",allowAdmin=true");
        var info = (string?)await redis.GetDatabase().ExecuteAsync("INFO", section) ?? "";
        var prefix = field + ":";
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Redis INFO {section} has no {field}.");
        return long.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
