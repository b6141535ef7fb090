using System.Text.Encodings.Web;
using Bff.Api.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>
/// Answers a request that failed because a shared store is down (<see cref="StorageOutage"/>) with
/// 503: ProblemDetails for API calls, a readable page for people, never a 500. Nothing is deleted
/// and no cookie is touched, so the session works again once the store is back.
/// </summary>
internal sealed class StorageOutageMiddleware(RequestDelegate next, IOptions<SessionSettings> options, ILogger<StorageOutageMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (StorageOutage.Find(e) is { } store && !context.Response.HasStarted)
        {
            logger.StoreUnavailable(context.Request.Path.Value ?? "/", store.Id, e.GetType().Name);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.RetryAfter = "5";
            if (BffApiRequest.IsApiRequest(context, options.Value.EffectiveApiPathPrefixes))
            {
                await TypedResults.Problem(BffApiProblems.StoreUnavailable(store)).ExecuteAsync(context);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Page(store, context.Request.PathBase + context.Request.Path + context.Request.QueryString));
        }
    }

    // A page of its own, not the app's layout: Bff.Core knows no pages, and the app's layout may
    // itself need the session. No script or inline style, so the Content-Security-Policy holds; the
    // only request value in it is the encoded local path; the store is named by a fixed description,
    // never by its address.
    private static string Page(UnavailableStore store, string here) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>Temporarily unavailable</title></head>
        <body>
        <h1>Temporarily unavailable</h1>
        <p id="error-message">This page cannot be loaded right now because {store.Description} cannot be reached. If you were signed in, you still are. Please try again in a moment.</p>
        <p><a id="retry" href="{HtmlEncoder.Default.Encode(here)}">Try again</a></p>
        </body>
        </html>
        """;
}

/// <summary>Log messages of the availability feature (event ids 4600-4619).</summary>
internal static partial class AvailabilityLog
{
    [LoggerMessage(4600, LogLevel.Warning, "A shared store ({Store}) could not be reached while answering {Path} ({Error}); answered 503, the session is kept.")]
    public static partial void StoreUnavailable(this ILogger logger, string path, string store, string error);
}
