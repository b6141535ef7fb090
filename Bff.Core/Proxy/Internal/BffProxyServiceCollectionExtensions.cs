using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Proxy.Internal;

/// <summary>Registers the remote API proxy.</summary>
internal static class BffProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds YARP's direct forwarder and the extra start-up checks of <c>Bff:RemoteApis</c>
    /// (bound into <c>BffOptions.RemoteApis</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddBffRemoteApis(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHttpForwarder();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffRemoteApis>, RemoteApiOptionsValidator>());
        return services;
    }
}
