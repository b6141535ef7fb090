using Bff.Health;
using Bff.Health.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the BFF's health checks and its start-up configuration check.</summary>
public static class BffHealthServiceCollectionExtensions
{
    /// <summary>
    /// Adds the readiness checks of <c>/health/ready</c> (the LiteDB database, the identity
    /// provider's discovery document, Redis when <c>ConnectionStrings:Redis</c> is set) and the start-up configuration check, which logs a warning
    /// for each setting that would hurt later. Map the endpoints with <c>MapBffHealthEndpoints</c>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration (<c>Bff:StartupCheck</c> is read from it).</param>
    public static IServiceCollection AddBffHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BffStartupCheckOptions>().Bind(configuration.GetSection(BffStartupCheckOptions.SectionName));
        services.AddHttpClient(StartupConfigurationCheck.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<DiscoveryProbe>();
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(BffHealthChecks.Database, tags: [BffHealthChecks.ReadyTag])
            .AddCheck<DiscoveryHealthCheck>(BffHealthChecks.Discovery, tags: [BffHealthChecks.ReadyTag]);
        if (!string.IsNullOrEmpty(configuration.GetConnectionString("Redis")))
        {
            checks.AddCheck<RedisHealthCheck>(BffHealthChecks.Redis, tags: [BffHealthChecks.ReadyTag]);
        }

        services.AddHostedService<StartupConfigurationCheck>();
        return services;
    }
}
