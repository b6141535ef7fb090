using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Health.Internal;

/// <summary>
/// Ready when the identity provider's discovery document answers and names the endpoints a login
/// needs; fetched fresh on every probe (see <see cref="DiscoveryProbe"/>).
/// </summary>
internal sealed class DiscoveryHealthCheck(DiscoveryProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await probe.FetchAsync(cancellationToken);
        return result.Error is null
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The discovery document at {result.Address} is not usable: {result.Error}.");
    }
}
