using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Api.Internal;

/// <summary>The request delegate every management endpoint is mapped with: its handler, from DI.</summary>
internal static class BffEndpointHandlers
{
    public static RequestDelegate For<TEndpoint>()
        where TEndpoint : class, IBffEndpoint =>
        context => context.RequestServices.GetRequiredService<TEndpoint>().ProcessRequestAsync(context);

    /// <summary>Runs a handler's result, as minimal APIs would have.</summary>
    public static async Task ExecuteAsync(this Task<IResult> result, HttpContext context) =>
        await (await result.ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);
}
