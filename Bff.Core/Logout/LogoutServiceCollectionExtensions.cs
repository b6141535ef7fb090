using Bff.Logout.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bff.Logout;

/// <summary>Registers logout, back-channel logout and session management.</summary>
internal static class LogoutServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IUserSessionService"/>, <see cref="ILogoutTokenValidator"/> and
    /// <see cref="ILogoutTokenReplayCache"/> (each with TryAdd, so an application can replace one,
    /// e.g. with a replay cache shared by several instances), with <see cref="BackchannelLogoutOptions"/>
    /// bound from <c>Bff:Backchannel</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration, or <see langword="null"/>.</param>
    public static IServiceCollection AddBffLogout(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BackchannelLogoutOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(BackchannelLogoutOptions.SectionName));
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackchannelLogoutOptions>, BackchannelLogoutOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddAntiforgery();
        services.TryAddSingleton<IUserSessionService, DefaultUserSessionService>();
        services.TryAddSingleton<ILogoutTokenReplayCache, InMemoryLogoutTokenReplayCache>();
        services.TryAddSingleton<ILogoutTokenValidator, DefaultLogoutTokenValidator>();
        services.TryAddSingleton<EndSessionUrlBuilder>();
        return services;
    }

    /// <summary>
    /// Puts the Redis logout-token replay cache in front of whatever <see cref="ILogoutTokenReplayCache"/>
    /// is registered (call after it is): with Redis storage the Redis one, otherwise the registered one.
    /// </summary>
    public static void UseRedisReplayCacheWhenConfigured(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILogoutTokenReplayCache));
        if (registered is null || registered.Lifetime != ServiceLifetime.Singleton)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<ILogoutTokenReplayCache>(provider => SessionStorageServiceCollectionExtensions.IsRedis(provider)
            ? ActivatorUtilities.CreateInstance<RedisLogoutTokenReplayCache>(provider, provider.GetRequiredService<IConnectionMultiplexer>())
            : Create(provider, registered));
    }

    private static ILogoutTokenReplayCache Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as ILogoutTokenReplayCache
        ?? descriptor.ImplementationFactory?.Invoke(provider) as ILogoutTokenReplayCache
        ?? (ILogoutTokenReplayCache)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}
