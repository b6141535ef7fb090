using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Tokens.Internal;

/// <summary>Registers the client and exchanged token caches.</summary>
internal static class TokenCacheServiceCollectionExtensions
{
    /// <summary>
    /// HybridCache with, when the sessions are in Redis, a Redis distributed cache on the same
    /// connection (keys under <c>Bff:Storage:RedisKeyPrefix</c>) so that instances share the BFF's
    /// tokens; otherwise memory only. An <see cref="IDistributedCache"/> the app registered first wins;
    /// the app's own use of <see cref="IDistributedCache"/> lands in the same Redis then.
    /// </summary>
    public static void AddBffTokenCache(this IServiceCollection services)
    {
        services.TryAddSingleton<IDistributedCache>(provider => SessionStorageServiceCollectionExtensions.IsRedis(provider)
            ? new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()),
                InstanceName = provider.GetRequiredService<IOptions<SessionStorageOptions>>().Value.RedisKeyPrefix,
            }))
            // In memory, which HybridCache recognises and skips: its own memory level is enough.
            : new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        services.AddHybridCache();
        services.TryAddSingleton<CachedTokens>();
        services.TryAddSingleton<IClientTokenManager, DefaultClientTokenManager>();
        services.TryAddSingleton<ITokenExchangeManager, DefaultTokenExchangeManager>();
        services.TryAddSingleton<SessionLifecycle>();
        services.AddHostedService<SessionTokensCleanup>();
    }
}
