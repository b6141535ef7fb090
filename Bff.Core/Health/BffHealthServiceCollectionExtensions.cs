using Bff.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the BFF's health checks and its start-up configuration check.</summary>
public static class BffHealthServiceCollectionExtensions
{
    /// <summary>
    /// Adds the readiness checks of <c>/health/ready</c> (the LiteDB database, the identity
    /// provider's discovery document) and the start-up configuration check, which logs a warning
    /// for each setting that would hurt later. Map the endpoints with <c>MapBffHealthEndpoints</c>.
    /// </summary>
    public static IServiceCollection AddBffHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<DiscoveryProbe>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(BffHealthChecks.Database, tags: [BffHealthChecks.ReadyTag])
            .AddCheck<DiscoveryHealthCheck>(BffHealthChecks.Discovery, tags: [BffHealthChecks.ReadyTag]);
        services.AddHostedService<StartupConfigurationCheck>();
        return services;
    }
}
