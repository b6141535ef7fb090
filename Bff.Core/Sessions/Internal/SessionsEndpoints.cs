using Bff.Api;
using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bff.Sessions.Internal;

/// <summary>
/// <c>/bff/sessions</c>: the signed-in user's own sessions, for the SPA (BFF API conventions: cookie plus
/// <c>X-CSRF: 1</c>, or a bearer token; JSON 401/403).
/// <list type="bullet">
/// <item><c>GET /bff/sessions</c>: the sessions, newest first, with an opaque id (never the session key).</item>
/// <item><c>DELETE /bff/sessions/{id}</c>: ends one of them (204; 404 when not the user's).</item>
/// <item><c>POST /bff/sessions/end-others</c>: ends all but the calling session (<c>{"ended": n}</c>).</item>
/// </list>
/// Ending a session revokes its refresh token.
/// </summary>
internal static class SessionsEndpoints
{
    /// <summary>Maps the session management routes under <paramref name="pattern"/> to the <see cref="ISessionsEndpoint"/> from DI.</summary>
    internal static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string pattern)
    {
        var group = endpoints.MapGroup(pattern).RequireBffApi().ExcludeFromDescription();
        var handler = BffEndpointHandlers.For<ISessionsEndpoint>();
        group.MapGet("/", handler).WithName("BffSessions");
        group.MapDelete("/{id}", handler).WithName("BffSessionEnd");
        group.MapPost("/end-others", handler).WithName("BffSessionsEndOthers");
        return group;
    }

    internal static async Task<Results<Ok<IReadOnlyList<UserSessionInfo>>, ProblemHttpResult>> ListAsync(HttpContext context, IUserSessionService sessions)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (context.User.FindFirst("sub")?.Value is not { Length: > 0 } subject)
        {
            return NoSubject();
        }

        var current = await context.GetBffSessionKeyAsync();
        return TypedResults.Ok(await sessions.ListAsync(subject, current, context.RequestAborted));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> EndAsync(string id, HttpContext context, IUserSessionService sessions)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (context.User.FindFirst("sub")?.Value is not { Length: > 0 } subject)
        {
            return NoSubject();
        }

        var current = await context.GetBffSessionKeyAsync();
        if (!await sessions.EndOwnAsync(subject, id, Bff.Sessions.SessionEndReason.EndedByUser, context.RequestAborted))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: "No session of yours has this id.");
        }

        if (current is not null && SessionPublicId.Matches(current, id))
        {
            // The caller ended its own session: the cookie goes too.
            await context.SignOutAsync(BffAuthenticationDefaults.CookieScheme);
        }

        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<EndedSessions>, ProblemHttpResult>> EndOthersAsync(HttpContext context, IUserSessionService sessions)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (context.User.FindFirst("sub")?.Value is not { Length: > 0 } subject)
        {
            return NoSubject();
        }

        var current = await context.GetBffSessionKeyAsync();
        var ended = await sessions.EndAllAsync(new SessionFilter(Subject: subject), Bff.Sessions.SessionEndReason.EndedByUser, current, context.RequestAborted);
        return TypedResults.Ok(new EndedSessions(ended));
    }

    private static ProblemHttpResult NoSubject() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The signed-in user has no sub claim.");
}

/// <summary>How many sessions ended.</summary>
/// <param name="Ended">The count.</param>
internal sealed record EndedSessions(int Ended);
