using Bff.Claims;
using Bff.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="BffServiceCollectionExtensions.AddBff"/>: replace BFF parts or add features
/// (other BFF features add their own extension methods on this type).
/// </summary>
public sealed class BffBuilder
{
    internal BffBuilder(IServiceCollection services, IConfiguration configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The configuration the BFF is bound from.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Replaces the default <see cref="IUserMapper"/>.</summary>
    public BffBuilder AddUserMapper<TMapper>()
        where TMapper : class, IUserMapper
    {
        Services.Replace(ServiceDescriptor.Singleton<IUserMapper, TMapper>());
        return this;
    }

    /// <summary>Replaces the default <see cref="IKeycloakClaimsMapper"/>.</summary>
    public BffBuilder AddClaimsMapper<TMapper>()
        where TMapper : class, IKeycloakClaimsMapper
    {
        Services.Replace(ServiceDescriptor.Singleton<IKeycloakClaimsMapper, TMapper>());
        return this;
    }
}
