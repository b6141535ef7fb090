using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Api.Internal;

/// <summary>
/// An endpoint filter every BFF API endpoint runs (RequireBffApi), registered by the feature that
/// owns it: the token feature turns "no access token can be had" into 401/503 JSON. The API layer sits
/// below the features, so it runs their filters without naming them.
/// </summary>
internal interface IBffApiEndpointFilter : IEndpointFilter;

/// <summary>Wraps an API endpoint's handler in the registered <see cref="IBffApiEndpointFilter"/>s, the first registered outermost.</summary>
internal static class BffApiEndpointFilters
{
    public static EndpointFilterDelegate Wrap(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        foreach (var filter in context.ApplicationServices.GetServices<IBffApiEndpointFilter>().Reverse())
        {
            var inner = next;
            next = invocation => filter.InvokeAsync(invocation, inner);
        }

        return next;
    }
}
