using Microsoft.AspNetCore.Http;

namespace Bff.Sessions.Internal;

/// <summary>The BFF's session management: list, end one, end the others.</summary>
internal sealed class DefaultSessionsEndpoint(IUserSessionService sessions) : ISessionsEndpoint
{
    public async Task ProcessRequestAsync(HttpContext context)
    {
        IResult result = context.Request.Method switch
        {
            _ when HttpMethods.IsGet(context.Request.Method) => await SessionsEndpoints.ListAsync(context, sessions).ConfigureAwait(false),
            _ when HttpMethods.IsDelete(context.Request.Method) && context.Request.RouteValues["id"] is string id =>
                await SessionsEndpoints.EndAsync(id, context, sessions).ConfigureAwait(false),
            _ when HttpMethods.IsPost(context.Request.Method) => await SessionsEndpoints.EndOthersAsync(context, sessions).ConfigureAwait(false),
            _ => TypedResults.NotFound(),
        };
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }
}
