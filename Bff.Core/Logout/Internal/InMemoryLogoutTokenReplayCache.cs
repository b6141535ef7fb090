using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bff.Logout.Internal;

/// <summary>
/// The default <see cref="ILogoutTokenReplayCache"/>: seen token ids in memory until they expire, at
/// most <see cref="BackchannelLogoutOptions.ReplayCacheSize"/> of them.
/// </summary>
/// <remarks>
/// Important: this protects one instance. Behind a load balancer with several instances, a replayed
/// token sent to another instance would be accepted there: register an implementation over a shared
/// store (an atomic "set if absent with expiry", e.g. Redis <c>SET NX PX</c>) instead. When the cache
/// is full of ids that have not expired, new tokens are refused rather than old ids forgotten, so a
/// flood cannot open a replay window; the identity provider's next logout then fails loudly.
/// </remarks>
internal sealed class InMemoryLogoutTokenReplayCache(IOptionsMonitor<BackchannelLogoutOptions> options, TimeProvider time) : ILogoutTokenReplayCache
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private readonly Lock purgeGate = new();

    internal int Count => seen.Count;

    public Task<bool> TryAddAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        var now = time.GetUtcNow();
        if (seen.Count >= options.CurrentValue.ReplayCacheSize)
        {
            Purge(now);
            if (seen.Count >= options.CurrentValue.ReplayCacheSize)
            {
                return Task.FromResult(false);
            }
        }

        if (seen.TryAdd(tokenId, expiresAt))
        {
            return Task.FromResult(true);
        }

        // A remembered id whose time is over may be taken again: the token itself is too old by now.
        var stored = seen.GetValueOrDefault(tokenId);
        return Task.FromResult(stored <= now && seen.TryUpdate(tokenId, expiresAt, stored));
    }

    private void Purge(DateTimeOffset now)
    {
        lock (purgeGate)
        {
            foreach (var (id, expires) in seen)
            {
                if (expires <= now)
                {
                    seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, expires));
                }
            }
        }
    }
}
