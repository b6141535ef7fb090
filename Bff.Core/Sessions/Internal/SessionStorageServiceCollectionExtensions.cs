using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>Registers the session storage chosen by <c>Bff:Storage:Sessions</c>.</summary>
internal static class SessionStorageServiceCollectionExtensions
{
    /// <summary>
    /// The LiteDB storage as registered here; the Redis registration (<c>Bff.Redis.Internal</c>) puts
    /// Redis in its place, chosen when resolved, only if it is still this one (an app's storage wins).
    /// </summary>
    public static readonly ServiceDescriptor LiteDbStorage = ServiceDescriptor.Singleton<ISessionStorage, LiteDbSessionStorage>();

    /// <summary>
    /// LiteDB by default (Redis is added in its place by the Redis registration, which AddBff runs
    /// after every feature). A storage registered before <c>AddBff</c> wins (TryAdd).
    /// </summary>
    /// <remarks>
    /// Note: the choice of storage is made when the services are first resolved, not here, because
    /// hosts (and tests) add configuration sources after <c>AddBff</c> has run.
    /// </remarks>
    public static void AddBffSessionStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionStorageOptions>()
            .Bind(configuration.GetSection(SessionStorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionStorageOptions>>(new SessionStorageOptionsValidator(configuration)));
        services.TryAdd(LiteDbStorage);

        // The session-ended signal every path that ends a session raises, and the live-session count
        // the bff.sessions.active gauge reads.
        services.TryAddSingleton<SessionLifecycle>();
        services.TryAddSingleton<Bff.Telemetry.Internal.IActiveSessionsSource, ActiveSessionsGauge>();
    }

    /// <summary>Whether the sessions (and with them the key ring and replay cache) live in Redis.</summary>
    public static bool IsRedis(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<SessionStorageOptions>>().Value.Sessions == SessionStorageKind.Redis;
}
