using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Proxy;

/// <summary>Registers the remote API proxy.</summary>
public static class BffProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds YARP's direct forwarder and the <c>Bff:RemoteApis</c> settings, validated at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="bffSection">The <c>Bff</c> configuration section, or <see langword="null"/>.</param>
    public static IServiceCollection AddBffRemoteApis(this IServiceCollection services, IConfiguration? bffSection = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHttpForwarder();
        var options = services.AddOptions<BffRemoteApisOptions>();
        if (bffSection is not null)
        {
            options.Bind(bffSection);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffRemoteApisOptions>, BffRemoteApisOptionsValidator>());
        return services;
    }
}
