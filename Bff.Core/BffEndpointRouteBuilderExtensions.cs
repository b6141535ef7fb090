using Microsoft.AspNetCore.Routing;
using Bff.Login;
using Bff.Logout;
using Bff.Proxy;
using Bff.Sessions;
using Bff.Users;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the BFF's endpoints.</summary>
public static class BffEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every BFF endpoint (<c>/bff/login</c>, ...). Each has its own <c>MapBff...</c> method
    /// for apps that want only some of them.
    /// </summary>
    public static IEndpointRouteBuilder MapBffEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapBffLoginEndpoint();
        endpoints.MapBffUserEndpoint();
        endpoints.MapBffRemoteApis();
        endpoints.MapBffLogoutEndpoint();
        endpoints.MapBffBackchannelLogoutEndpoint();
        endpoints.MapBffSessionsEndpoints();
        return endpoints;
    }
}
