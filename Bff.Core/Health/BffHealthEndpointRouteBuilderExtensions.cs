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

        // Short-circuited: routing runs them at once, without the middleware after it (authentication,
        // authorization, rate limits), which a probe that carries no cookie and reads no session never
        // needs. A probe then neither builds the sign-in machinery (the first one did, before the app
        // could say it was ready) nor reads a session cookie that a browser happened to send along.
        endpoints.MapHealthChecks(BffHealthChecks.LivePath, new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous()
            .ShortCircuit();
        endpoints.MapHealthChecks(BffHealthChecks.ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(BffHealthChecks.ReadyTag) })
            .AllowAnonymous()
            .ShortCircuit();
        return endpoints;
    }
}
