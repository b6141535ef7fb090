using System.Security.Cryptography;
using System.Text;
using Bff.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Logout.Internal;

/// <summary>
/// The <see cref="ILogoutTokenReplayCache"/> of several instances (<c>Bff:Storage:Sessions</c> =
/// <c>Redis</c>): one expiring key per token id, set with <c>SET NX PX</c>, so a logout token
/// replayed to any instance, or after every instance restarted, is refused.
/// </summary>
/// <remarks>
/// The key is a hash of the issuer-scoped id (bounded length, nothing to read). When Redis cannot be
/// reached the token is refused, as the interface asks: accepting it unchecked would open a replay.
/// </remarks>
internal sealed class RedisLogoutTokenReplayCache(
    IConnectionMultiplexer redis,
    IOptions<SessionStorageOptions> options,
    TimeProvider time,
    ILogger<RedisLogoutTokenReplayCache> logger) : ILogoutTokenReplayCache
{
    // A token whose time is (nearly) over is still remembered a little, so a replay racing its
    // expiry is not let through by a key that vanished a millisecond after it was set.
    private static readonly TimeSpan MinimumMemory = TimeSpan.FromMinutes(1);

    private readonly string _prefix = options.Value.RedisKeyPrefix + "logout-jti:";

    public async Task<bool> TryAddAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        var remember = expiresAt - time.GetUtcNow();
        var key = _prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tokenId)));
        try
        {
            return await redis.GetDatabase()
                .StringSetAsync(key, "1", remember > MinimumMemory ? remember : MinimumMemory, When.NotExists)
                .WaitAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.ReplayCacheUnavailable(ex);
            return false;
        }
    }
}
