using Bff.Api;
using Bff.Api.Internal;
using Bff.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Bff.Events.Internal;

/// <summary>
/// <c>GET /bff/events</c> (path: <see cref="BffOptions.EventsPath"/>): the signed-in session's live events as Server-Sent Events, so every open tab
/// learns at once that its session ended (and why) or is about to expire (docs/spa-and-api.md).
/// </summary>
/// <remarks>
/// A BFF API endpoint: the session cookie plus <c>X-CSRF: 1</c>, so another site cannot open it in
/// the user's browser (the header forces a same-origin, CORS-checked request). Browsers'
/// <c>EventSource</c> cannot send that header; the SPA reads the stream with <c>fetch()</c>. Answers
/// <c>Cache-Control: no-store</c> and <c>X-Accel-Buffering: no</c> (nginx passes each frame on at
/// once), with a heartbeat comment every <c>Bff:Events:Heartbeat</c>. Too many streams: 429 for one
/// session (<c>Bff:Events:MaxStreamsPerSession</c>), 503 for the instance (<c>Bff:Events:MaxStreams</c>).
/// </remarks>
internal static class SessionEventsEndpoint
{
    /// <summary>Maps <c>GET</c> <paramref name="pattern"/> to the <see cref="IEventsEndpoint"/> from DI.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet(pattern, BffEndpointHandlers.For<IEventsEndpoint>())
            .RequireBffApi()
            .WithName("BffEvents")
            .ExcludeFromDescription();

    /// <summary>Streams the request's session events until the tab goes away.</summary>
    public static async Task StreamAsync(HttpContext context, SessionEventHub hub, ILoggerFactory loggerFactory)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await context.GetBffSessionKeyAsync().ConfigureAwait(false) is not { } sessionKey)
        {
            // A bearer caller has no session whose end it could hear of.
            await BffApiProblems.WriteAsync(context, Problem(StatusCodes.Status400BadRequest, "No session", "Session events need the session cookie, not a bearer token.", "session_required")).ConfigureAwait(false);
            return;
        }

        var logger = loggerFactory.CreateLogger(typeof(SessionEventsEndpoint).FullName!);
        switch (hub.TryOpen(sessionKey, out var stream))
        {
            case SessionEventHub.OpenResult.TooManyForSession:
                logger.StreamRefused("too many streams for one session");
                await BffApiProblems.WriteAsync(context, Problem(StatusCodes.Status429TooManyRequests, "Too many event streams", "This session has as many event streams open as it may; close a tab.", "too_many_streams")).ConfigureAwait(false);
                return;
            case SessionEventHub.OpenResult.TooManyStreams:
                logger.StreamRefused("too many streams on this instance");
                await BffApiProblems.WriteAsync(context, Problem(StatusCodes.Status503ServiceUnavailable, "Event streams unavailable", "This server has as many event streams open as it may; try again shortly.", "too_many_streams")).ConfigureAwait(false);
                return;
        }

        try
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            var aborted = context.RequestAborted;
            await context.Response.WriteAsync(SessionEventFrames.Retry, aborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            await foreach (var frame in stream!.Frames.ReadAllAsync(aborted).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(frame, aborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The tab went away.
        }
        finally
        {
            hub.Close(stream!);
        }
    }

    private static ProblemDetails Problem(int status, string title, string detail, string error)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["error"] = error;
        return problem;
    }
}
