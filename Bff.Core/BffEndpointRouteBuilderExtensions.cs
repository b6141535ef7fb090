using Bff;
using Bff.Account;
using Bff.Events;
using Bff.Events.Internal;
using Bff.Login;
using Bff.Login.Internal;
using Bff.Logout;
using Bff.Logout.Internal;
using Bff.Proxy;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the BFF's endpoints. Each management endpoint is mapped at the path <see cref="BffOptions"/>
/// names (<c>Bff:LoginPath</c>, ...) to its handler interface (<see cref="ILoginEndpoint"/>, ...),
/// resolved from dependency injection on every request: register another implementation
/// (<c>AddBff(...).AddEndpoint&lt;IUserEndpoint, MyUserEndpoint&gt;()</c>) to replace one.
/// </summary>
public static class BffEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every BFF endpoint (login, user, remote APIs, logout, back-channel logout, sessions, events, account actions). Each
    /// has its own <c>MapBff...</c> method for apps that want only some of them.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointRouteBuilder MapBffEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapBffLoginEndpoint();
        endpoints.MapBffUserEndpoint();
        endpoints.MapBffRemoteApis();
        endpoints.MapBffLogoutEndpoint();
        endpoints.MapBffBackchannelLogoutEndpoint();
        endpoints.MapBffSessionsEndpoints();
        endpoints.MapBffEventsEndpoint();
        endpoints.MapBffAccountEndpoint();
        return endpoints;
    }

    /// <summary>Maps <c>GET</c> <see cref="BffOptions.LoginPath"/> to <see cref="ILoginEndpoint"/>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointConventionBuilder MapBffLoginEndpoint(this IEndpointRouteBuilder endpoints) =>
        LoginEndpoint.Map(endpoints, Paths(endpoints).LoginPath);

    /// <summary>Maps <c>GET</c> <see cref="BffOptions.UserPath"/> to <see cref="IUserEndpoint"/>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointConventionBuilder MapBffUserEndpoint(this IEndpointRouteBuilder endpoints) =>
        UserEndpoint.Map(endpoints, Paths(endpoints).UserPath);

    /// <summary>Maps <c>GET</c> and <c>POST</c> <see cref="BffOptions.LogoutPath"/> to <see cref="ILogoutEndpoint"/>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointConventionBuilder MapBffLogoutEndpoint(this IEndpointRouteBuilder endpoints) =>
        LogoutEndpoint.Map(endpoints, Paths(endpoints).LogoutPath);

    /// <summary>Maps <c>POST</c> <see cref="BffOptions.BackchannelLogoutPath"/> to <see cref="IBackchannelLogoutEndpoint"/>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointConventionBuilder MapBffBackchannelLogoutEndpoint(this IEndpointRouteBuilder endpoints) =>
        BackchannelLogoutEndpoint.Map(endpoints, Paths(endpoints).BackchannelLogoutPath);

    /// <summary>Maps the session management routes under <see cref="BffOptions.SessionsPath"/> to <see cref="ISessionsEndpoint"/>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static RouteGroupBuilder MapBffSessionsEndpoints(this IEndpointRouteBuilder endpoints) =>
        SessionsEndpoints.Map(endpoints, Paths(endpoints).SessionsPath);

    /// <summary>
    /// Maps <c>GET</c> <see cref="BffOptions.EventsPath"/> to <see cref="IEventsEndpoint"/>, unless
    /// <c>Bff:Events:Enabled</c> is false.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointRouteBuilder MapBffEventsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        var paths = Paths(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<BffEventsOptions>>().Value.Enabled)
        {
            SessionEventsEndpoint.Map(endpoints, paths.EventsPath);
        }

        return endpoints;
    }

    /// <summary>
    /// Maps <c>GET</c> <see cref="BffAccountOptions.Path"/><c>/{action}</c> to <see cref="IAccountEndpoint"/>: Keycloak
    /// application-initiated actions for the signed-in user.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    public static IEndpointConventionBuilder MapBffAccountEndpoint(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<BffAccountOptions>>().Value.Path;
        return Bff.Account.Internal.AccountEndpoint.Map(endpoints, path);
    }

    private static BffOptions Paths(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.ServiceProvider.GetRequiredService<IOptions<BffOptions>>().Value;
    }
}
