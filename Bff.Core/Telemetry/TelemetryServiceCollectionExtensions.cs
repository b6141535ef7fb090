using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bff.Telemetry;

/// <summary>Registers the BFF's instruments (the <c>Bff</c> meter); exporters are the app's choice.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddBffMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ActiveSessionsGauge>();
        services.TryAddSingleton<BffMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Hosting.IStartupFilter, SignInActivityStartupFilter>());
        return services;
    }
}
