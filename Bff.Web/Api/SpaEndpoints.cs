namespace Bff.Web.Api;

/// <summary>Serves the SPA at <c>/app</c> from <c>wwwroot/app</c> (plain ES modules, no build step).</summary>
public static class SpaEndpoints
{
    /// <summary>
    /// The SPA's own Content-Security-Policy: scripts and styles only from this origin (no inline
    /// script anywhere), fetches only to this origin, no framing, no plugins.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>Maps <c>/app</c> (and any client-side route under it) to the SPA's page.</summary>
    public static IEndpointRouteBuilder MapSpa(this IEndpointRouteBuilder endpoints)
    {
        // The SPA's policy is declared here and written by the BFF's security headers middleware,
        // the one writer of the header.
        endpoints.MapGet("/app", (HttpContext context) => ServeIndexAsync(context)).WithBffContentSecurityPolicy(ContentSecurityPolicy);
        endpoints.MapGet("/app/{**path:nonfile}", (HttpContext context) => ServeIndexAsync(context)).WithBffContentSecurityPolicy(ContentSecurityPolicy);
        return endpoints;
    }

    private static async Task ServeIndexAsync(HttpContext context)
    {
        var environment = context.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var file = environment.WebRootFileProvider.GetFileInfo("app/index.html");
        if (!file.Exists)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.SendFileAsync(file, context.RequestAborted);
    }
}
