using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bff.Telemetry.Internal;

/// <summary>Registers the BFF's instruments (the <c>Bff</c> meter); exporters are the app's choice.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddBffMetrics(this IServiceCollection services, IConfiguration bffSection)
    {
        services.AddOptions<BffTelemetryOptions>().Bind(bffSection.GetSection("Telemetry")).Validate(
            o => string.IsNullOrEmpty(o.PrometheusPath) || (o.PrometheusPath.StartsWith('/') && !o.PrometheusPath.StartsWith("//", StringComparison.Ordinal)),
            "Bff:Telemetry:PrometheusPath must be a local path such as /metrics.").ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<BffMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Hosting.IStartupFilter, SignInActivityStartupFilter>());
        return services;
    }
}
