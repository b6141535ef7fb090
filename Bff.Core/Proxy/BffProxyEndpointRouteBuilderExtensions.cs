using Bff.Login;
using Bff.Api;
using Bff.Proxy.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Proxy;

/// <summary>Maps remote APIs that the BFF forwards to with the user's access token.</summary>
public static class BffProxyEndpointRouteBuilderExtensions
{
    /// <summary>Maps every remote API configured under <c>Bff:RemoteApis</c>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointRouteBuilder MapBffRemoteApis(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<BffOptions>>().Value;
        foreach (var api in options.RemoteApis.Values)
        {
            if (api.Destination is not null)
            {
                var route = endpoints.MapBffRemoteApi(api.Path, api.Destination.AbsoluteUri);
                if (api.RequiredAcr is { Length: > 0 } acr)
                {
                    route.RequireAcr(acr);
                }
            }
        }

        return endpoints;
    }

    /// <summary>
    /// Forwards every request under <paramref name="path"/> to <paramref name="destination"/> (the
    /// prefix removed), as a BFF API endpoint: the caller must be signed in (cookie plus
    /// <c>X-CSRF: 1</c>, or bearer); the downstream request carries the user's access token
    /// (refreshed as needed) and none of the browser's cookies or anti-forgery header. No token:
    /// 401 JSON; identity provider down: 503 JSON.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="path">The local path prefix, e.g. <c>/api/remote</c>.</param>
    /// <param name="destination">The downstream base address.</param>
    public static IEndpointConventionBuilder MapBffRemoteApi(this IEndpointRouteBuilder endpoints, string path, string destination)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(destination);

        var prefix = new PathString(path.TrimEnd('/'));
        return endpoints
            .MapForwarder(prefix.Value + "/{**rest}", destination, transforms => RemoteApiTransforms.Apply(transforms, prefix))
            .RequireBffApi()
            .WithDisplayName("BFF remote API " + prefix.Value);
    }
}
