using Bff.Api.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bff.Api;

/// <summary>Endpoint conventions for the BFF's JSON API.</summary>
public static class BffApiEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Makes endpoints BFF API endpoints: a signed-in user is required, by the cookie session (then
    /// the request must carry <c>X-CSRF: 1</c>) or by <c>Authorization: Bearer</c>; an anonymous
    /// call gets 401 and a forbidden one 403, as JSON ProblemDetails, never a redirect to login.
    /// Further policies (roles) combine with it through <c>RequireAuthorization</c>.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint builder type.</typeparam>
    /// <param name="builder">The endpoints.</param>
    public static TBuilder RequireBffApi<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new BffApiMetadata());

        // The scheme on the authorize data makes the authorization middleware authenticate,
        // challenge and forbid through the API scheme for these endpoints, whatever the app's
        // default (redirecting) schemes are.
        builder.RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = BffApiDefaults.AuthenticationScheme });

        // Handlers that call APIs through UserAccessTokenHandler get 401/503 JSON, not a 500, when
        // no token can be had. (Endpoint filters exist only for minimal API handlers and groups.)
        switch (builder)
        {
            case RouteHandlerBuilder handler:
                handler.AddEndpointFilterFactory(BffApiEndpointFilters.Wrap);
                break;
            case RouteGroupBuilder group:
                group.AddEndpointFilterFactory(BffApiEndpointFilters.Wrap);
                break;
        }

        return builder;
    }
}
