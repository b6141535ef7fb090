using Bff.Sessions.Internal;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Tokens.Internal;

/// <summary>Registers the client and exchanged token caches.</summary>
internal static class TokenCacheServiceCollectionExtensions
{
    /// <summary>
    /// The distributed cache as registered here: in memory, which HybridCache recognises and skips (its
    /// own memory level is enough). When the sessions are in Redis the Redis registration puts a Redis
    /// cache on the same connection in its place (keys under <c>Bff:Storage:RedisKeyPrefix</c>), so that
    /// instances share the BFF's tokens, if it is still this one.
    /// </summary>
    public static readonly ServiceDescriptor MemoryCache =
        ServiceDescriptor.Singleton<IDistributedCache>(_ => new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

    /// <summary>
    /// HybridCache over <see cref="MemoryCache"/> (or Redis, see there). An <see cref="IDistributedCache"/>
    /// the app registered first wins; with Redis storage the app's own use of
    /// <see cref="IDistributedCache"/> lands in the same Redis.
    /// </summary>
    public static void AddBffTokenCache(this IServiceCollection services)
    {
        services.TryAdd(MemoryCache);
        services.AddHybridCache();
        services.TryAddSingleton<CachedTokens>();
        services.TryAddSingleton<IClientTokenManager, DefaultClientTokenManager>();
        services.TryAddSingleton<ITokenExchangeManager, DefaultTokenExchangeManager>();
        services.TryAddSingleton<SessionLifecycle>();
        services.AddHostedService<SessionTokensCleanup>();
    }
}
