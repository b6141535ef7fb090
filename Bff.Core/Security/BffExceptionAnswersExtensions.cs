using Bff.Api.Internal;
using Bff.Security.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>How the BFF answers an unhandled exception, in every environment.</summary>
public static class BffExceptionAnswersExtensions
{
    /// <summary>
    /// Answers an unhandled exception with a 500 ProblemDetails document on API requests (a path under
    /// <c>Bff:ApiPathPrefixes</c>, <c>/api</c> and <c>/bff</c> by default, or a request with the
    /// <c>X-CSRF</c> header) and by re-executing <paramref name="errorPagePath"/> for pages.
    /// Call it first in the pipeline, right after the security headers.
    /// </summary>
    /// <remarks>
    /// Important: in every environment, Development included. The developer exception page that
    /// ASP.NET Core shows in Development echoes the request's headers and cookies, the session cookie
    /// among them, and the exception's message: anyone who can make a development instance fail
    /// (a malformed body was enough) would read them. The exception is still logged in full.
    /// </remarks>
    /// <param name="app">The application.</param>
    /// <param name="errorPagePath">The page people see. Defaults to <c>/Error</c>.</param>
    public static IApplicationBuilder UseBffExceptionAnswers(this IApplicationBuilder app, string errorPagePath = "/Error")
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<IOptionsMonitor<SecuritySettings>>();
        app.UseWhen(
            context => BffApiRequest.IsApiRequest(context, options.CurrentValue.EffectiveApiPathPrefixes),
            api => api.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteProblemAsync }));
        app.UseWhen(
            context => !BffApiRequest.IsApiRequest(context, options.CurrentValue.EffectiveApiPathPrefixes),
            pages => pages.UseExceptionHandler(errorPagePath));
        return app;
    }

    /// <summary>
    /// With <c>Bff:PublicOrigin</c> set, answers other hosts with 400 and makes every request carry the
    /// public scheme and host, so URLs the BFF builds never follow a client's Host header. Call it first.
    /// </summary>
    /// <param name="app">The application.</param>
    public static IApplicationBuilder UseBffPublicOrigin(this IApplicationBuilder app) =>
        app.UseMiddleware<Bff.Security.Internal.PublicOriginMiddleware>();

    private static Task WriteProblemAsync(HttpContext context)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Unexpected error",
            Detail = "The request failed on the server; nothing about it is shown here. Give this trace id to an administrator.",
        };
        problem.Extensions["error"] = "server_error";
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;
        return BffApiProblems.WriteAsync(context, problem);
    }
}
