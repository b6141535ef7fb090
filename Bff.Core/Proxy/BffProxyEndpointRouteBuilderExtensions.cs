using Bff.Api.Internal;
using Bff.Login;
using Bff.Proxy.Internal;
using Bff.Telemetry.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Proxy;

/// <summary>Maps remote APIs that the BFF forwards to with an access token (the user's, its own, an exchanged one, or none).</summary>
public static class BffProxyEndpointRouteBuilderExtensions
{
    /// <summary>Maps every remote API configured under <c>Bff:RemoteApis</c>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointRouteBuilder MapBffRemoteApis(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<BffRemoteApis>>().Value;
        foreach (var api in options.Apis.Values)
        {
            if (api.Destination is not null)
            {
                var route = endpoints.MapBffRemoteApi(api);
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
    /// prefix removed) with the signed-in user's access token: see <see cref="MapBffRemoteApi(IEndpointRouteBuilder, BffRemoteApiOptions)"/>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="path">The local path prefix, e.g. <c>/api/remote</c>.</param>
    /// <param name="destination">The downstream base address.</param>
    public static IEndpointConventionBuilder MapBffRemoteApi(this IEndpointRouteBuilder endpoints, string path, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        return endpoints.MapBffRemoteApi(new BffRemoteApiOptions { Path = path, Destination = new Uri(destination, UriKind.Absolute) });
    }

    /// <summary>
    /// Forwards every request under the API's path to its destination (the prefix removed), as a BFF
    /// API endpoint: a cookie call must carry <c>X-CSRF: 1</c>, signed in or not; the downstream
    /// request carries the token <see cref="BffRemoteApiOptions.Token"/> names (the user's, refreshed
    /// as needed, or exchanged for <see cref="BffRemoteApiOptions.ExchangeAudience"/>; the BFF's client
    /// token; none) and never the browser's cookies or anti-forgery header. A <c>User</c> route needs
    /// a signed-in caller (else 401 JSON); the other kinds admit anonymous callers. No token: 401 JSON
    /// when the user must sign in again, 502 when the identity provider refused one, 503 when it
    /// cannot be reached.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="api">The route's settings.</param>
    public static IEndpointConventionBuilder MapBffRemoteApi(this IEndpointRouteBuilder endpoints, BffRemoteApiOptions api)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrEmpty(api.Path);
        ArgumentNullException.ThrowIfNull(api.Destination);

        var prefix = new PathString(api.Path.TrimEnd('/'));
        var route = endpoints
            .MapForwarder(prefix.Value + "/{**rest}", api.Destination.AbsoluteUri, transforms => RemoteApiTransforms.Apply(transforms, prefix, api))
            .WithProxyTelemetry(prefix.Value!)
            .WithDisplayName("BFF remote API " + prefix.Value);
        if (api.Token == RemoteApiTokenType.User)
        {
            // RequireBffApi's metadata and authorization, without its endpoint filters: those turn a
            // handler's UserAccessTokenUnavailableException into JSON, which a forwarder never throws
            // (the transforms answer a missing token themselves), and would wrap every forwarded call.
            return route
                .WithMetadata(new BffApiMetadata())
                .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = BffApiDefaults.AuthenticationScheme });
        }

        // Anonymous callers are let through to the transforms, which still demand X-CSRF of every
        // call that is not a bearer call and pick the token; failures answer JSON like any BFF API.
        return route.WithMetadata(new BffApiMetadata()).AllowAnonymous();
    }
}
