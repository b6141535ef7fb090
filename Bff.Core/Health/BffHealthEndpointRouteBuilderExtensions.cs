using Bff.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the BFF's health endpoints.</summary>
public static class BffHealthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/health/live</c> (200 while the process serves requests; for restarts) and
    /// <c>/health/ready</c> (200 when the database and the identity provider answer, else 503; for
    /// load balancers). Both are anonymous and answer only the status word: the reasons go to the
    /// log, never to an outsider.
    /// </summary>
    public static IEndpointRouteBuilder MapBffHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(BffHealthChecks.LivePath, new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous();
        endpoints.MapHealthChecks(BffHealthChecks.ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(BffHealthChecks.ReadyTag) })
            .AllowAnonymous();
        return endpoints;
    }
}
