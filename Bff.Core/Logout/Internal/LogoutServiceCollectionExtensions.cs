using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Logout.Internal;

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
}
