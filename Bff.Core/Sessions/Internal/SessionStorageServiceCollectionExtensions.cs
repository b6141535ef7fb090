using Bff.Logout;
using Bff.Logout.Internal;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Sessions.Internal;

/// <summary>Registers the session storage chosen by <c>Bff:Storage:Sessions</c>.</summary>
internal static class SessionStorageServiceCollectionExtensions
{
    /// <summary>
    /// LiteDB by default; with <c>Redis</c>: one <see cref="IConnectionMultiplexer"/> from
    /// <c>ConnectionStrings:Redis</c> (shared with everything else that needs Redis; absent, resolved
    /// as <see langword="null"/>, otherwise), the Redis session storage and the Redis logout-token
    /// replay cache. A storage registered before <c>AddBff</c> wins (TryAdd).
    /// </summary>
    /// <remarks>
    /// Note: the choice is made when the services are first resolved, not here, because hosts (and
    /// tests) add configuration sources after <c>AddBff</c> has run.
    /// </remarks>
    public static void AddBffSessionStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionStorageOptions>()
            .Bind(configuration.GetSection(SessionStorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionStorageOptions>>(new SessionStorageOptionsValidator(configuration)));

        services.TryAddSingleton<IConnectionMultiplexer>(provider =>
            IsRedis(provider) ? Connect(configuration.GetConnectionString("Redis") ?? "") : null!);
        services.TryAddSingleton<ISessionStorage>(provider => IsRedis(provider)
            ? ActivatorUtilities.CreateInstance<RedisSessionStorage>(provider, provider.GetRequiredService<IConnectionMultiplexer>())
            : ActivatorUtilities.CreateInstance<LiteDbSessionStorage>(provider));

        // The session-ended signal every path that ends a session raises, and the live-session count
        // the bff.sessions.active gauge reads.
        services.TryAddSingleton<SessionLifecycle>();
        services.TryAddSingleton<Bff.Telemetry.IActiveSessionsSource, ActiveSessionsGauge>();
    }

    /// <summary>Whether the sessions (and with them the key ring and replay cache) live in Redis.</summary>
    public static bool IsRedis(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<SessionStorageOptions>>().Value.Sessions == SessionStorageKind.Redis;

    /// <summary>The key ring's Redis list, under the configured prefix.</summary>
    public static RedisXmlRepository KeyRing(IConnectionMultiplexer redis, SessionStorageOptions options) =>
        new(() => redis.GetDatabase(), options.RedisKeyPrefix + "dataprotection-keys");

    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);

        // Start-up and outages must not throw: the connection keeps retrying in the background, and
        // requests meanwhile get 503 answers instead of a process that never starts.
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(options);
    }
}
