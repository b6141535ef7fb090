using Bff.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Health.Internal;

/// <summary>Ready when the one LiteDB database of the BFF opens and answers a read.</summary>
internal sealed class DatabaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Resolved here, not injected: opening the file is part of what is checked (a locked or
            // corrupt file throws on open), and a failed open must not break the health endpoint itself.
            var database = services.GetRequiredService<BffDatabase>().Database;
            _ = database.GetCollectionNames().Count();
            return Task.FromResult(HealthCheckResult.Healthy());
        }
#pragma warning disable CA1031 // Any failure to open or read the database means "not ready", never a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The LiteDB database (ConnectionStrings:Bff) cannot be read.", ex));
        }
    }
}
