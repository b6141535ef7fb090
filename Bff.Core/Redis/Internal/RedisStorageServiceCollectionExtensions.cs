using System.Diagnostics.CodeAnalysis;
using Bff.Logout;
using Bff.Logout.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tokens.Internal;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Redis.Internal;

/// <summary>
/// Everything the BFF runs on Redis with <c>Bff:Storage:Sessions=Redis</c>, registered in one place:
/// the sessions, the refresh leases, the token cache, the logout-token replay cache and the key ring,
/// all on one <see cref="RedisConnection"/>.
/// </summary>
/// <remarks>
/// <para>
/// Important: the features register their one-instance defaults, and this puts a factory in their place
/// that builds the Redis part when the sessions are in Redis and the default otherwise. The choice is
/// made when a service is first resolved, because hosts (and tests) add configuration after AddBff.
/// </para>
/// <para>
/// The Redis types are named only inside those factories' Redis branches, so an app on LiteDB never
/// runs (and never compiles) code that loads StackExchange.Redis or the Redis cache and key-ring packages.
/// </para>
/// </remarks>
internal static class RedisStorageServiceCollectionExtensions
{
    /// <summary>The full name of StackExchange.Redis's connection interface, which an app may have registered.</summary>
    private const string MultiplexerTypeName = "StackExchange.Redis.IConnectionMultiplexer";

    /// <summary>Call from AddBff after every feature has registered its defaults.</summary>
    public static void AddBffRedisStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(provider => new RedisConnection(provider, configuration));

        ReplaceWhenRedis(services, SessionStorageServiceCollectionExtensions.LiteDbStorage, provider =>
            ActivatorUtilities.CreateInstance<RedisSessionStorage>(provider, Multiplexer(provider)));
        ReplaceWhenRedis(services, TokenCacheServiceCollectionExtensions.MemoryCache, provider => RedisTokenCache(provider));

        // A connection the app registered itself (by type name: looking for the type would load it)
        // also coordinates refreshes across instances whose sessions are elsewhere.
        var appConnection = services.Any(d => d.ServiceType.FullName == MultiplexerTypeName);
        ReplaceWhenRedis(
            services,
            TokenServiceCollectionExtensions.LocalRefresh,
            provider => ActivatorUtilities.CreateInstance<RedisRefreshCoordinator>(provider, Multiplexer(provider)),
            alsoWhen: appConnection);

        // Seen logout-token ids in Redis, in place of whatever replay cache is registered by now (one an app
        // registered before AddBff too): a token replayed to another instance must be refused as well. The
        // builder's AddLogoutTokenReplayCache, called after this, replaces this choice.
        if (services.LastOrDefault(d => d.ServiceType == typeof(ILogoutTokenReplayCache)) is { Lifetime: ServiceLifetime.Singleton } replayCache)
        {
            services.Remove(replayCache);
            services.AddSingleton<ILogoutTokenReplayCache>(provider => SessionStorageServiceCollectionExtensions.IsRedis(provider)
                ? RedisReplayCache(provider)
                : (ILogoutTokenReplayCache)Create(provider, replayCache));
        }
    }

    /// <summary>
    /// The key ring in Redis when the sessions are (call with the BFF's Data Protection set-up, which
    /// keeps the keys in a folder otherwise): one key ring, so a cookie made by one instance opens on
    /// every other. A configured certificate still encrypts each key before it is stored.
    /// </summary>
    public static void AddBffRedisKeyRing(this IServiceCollection services) =>
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            if (SessionStorageServiceCollectionExtensions.IsRedis(provider))
            {
                UseRedisKeyRing(options, provider);
            }
        });

    // Note: the factories above run on every storage, so they call only methods whose signatures name
    // no Redis type (compiling a call loads the types of its signature); these methods are where they are named.
    private static void UseRedisKeyRing(KeyManagementOptions options, IServiceProvider provider)
    {
        // The holder starts connecting now; the key ring waits for the connection only when first read.
        var connection = provider.GetRequiredService<RedisConnection>();
        var prefix = provider.GetRequiredService<IOptions<SessionStorageOptions>>().Value.RedisKeyPrefix;
        options.XmlRepository = new RedisXmlRepository(() => connection.Multiplexer.GetDatabase(), prefix + "dataprotection-keys");
    }

    [SuppressMessage("Performance", "CA1859:Use concrete types when possible", Justification = "The concrete type is a Redis type: naming it in the signature is what this method exists to avoid.")]
    private static ILogoutTokenReplayCache RedisReplayCache(IServiceProvider provider) =>
        ActivatorUtilities.CreateInstance<RedisLogoutTokenReplayCache>(provider, Multiplexer(provider));

    [SuppressMessage("Performance", "CA1859:Use concrete types when possible", Justification = "The concrete type is a Redis type: naming it in the signature is what this method exists to avoid.")]
    private static IDistributedCache RedisTokenCache(IServiceProvider provider)
    {
        var redis = Multiplexer(provider);
        return new RedisCache(Options.Create(new RedisCacheOptions
        {
            ConnectionMultiplexerFactory = () => Task.FromResult(redis),
            InstanceName = provider.GetRequiredService<IOptions<SessionStorageOptions>>().Value.RedisKeyPrefix,
        }));
    }

    private static StackExchange.Redis.IConnectionMultiplexer Multiplexer(IServiceProvider provider) =>
        provider.GetRequiredService<RedisConnection>().Multiplexer;

    /// <summary>
    /// Puts a factory in the place of <paramref name="feature"/>'s default that builds the Redis part
    /// when the sessions are in Redis (or <paramref name="alsoWhen"/>), the default otherwise; nothing when
    /// the app registered its own before AddBff (then the default was never added).
    /// </summary>
    /// <remarks>Note: the Redis factories are lambdas returning <see cref="object"/>, never method groups of Redis types: a delegate's signature is what the JIT sees here.</remarks>
    private static void ReplaceWhenRedis(IServiceCollection services, ServiceDescriptor feature, Func<IServiceProvider, object> redis, bool alsoWhen = false)
    {
        var index = services.IndexOf(feature);
        if (index < 0)
        {
            return;
        }

        services[index] = new ServiceDescriptor(
            feature.ServiceType,
            provider => alsoWhen || SessionStorageServiceCollectionExtensions.IsRedis(provider) ? redis(provider) : Create(provider, feature),
            ServiceLifetime.Singleton);
    }

    private static object Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}
