using System.Text.Encodings.Web;
using System.Text.Json;
using Bff.Account;
using Microsoft.Extensions.Options;

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

    /// <summary>The empty element of <c>index.html</c> that the page is served with the BFF's endpoint paths in.</summary>
    internal const string PathsPlaceholder = "<meta name=\"bff-paths\" content=\"\">";

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

        string page;
        using (var reader = new StreamReader(file.CreateReadStream()))
        {
            page = await reader.ReadToEndAsync(context.RequestAborted);
        }

        if (!page.Contains(PathsPlaceholder, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wwwroot/app/index.html lacks {PathsPlaceholder}, where the SPA reads the BFF's endpoint paths.");
        }

        // The SPA takes every management path from here, not from its own code, so an app that
        // moves an endpoint (Bff:UserPath, ...) moves it for the SPA too. Attribute-encoded: the
        // paths come from configuration and must not be able to end the attribute.
        var json = JsonSerializer.Serialize(PathsOf(context), JsonSerializerOptions.Web);
        page = page.Replace(PathsPlaceholder, $"<meta name=\"bff-paths\" content=\"{HtmlEncoder.Default.Encode(json)}\">", StringComparison.Ordinal);

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(page, context.RequestAborted);
    }

    private static SpaPaths PathsOf(HttpContext context)
    {
        var bff = context.RequestServices.GetRequiredService<IOptionsMonitor<BffOptions>>().CurrentValue;
        var account = context.RequestServices.GetRequiredService<IOptionsMonitor<BffAccountOptions>>().CurrentValue;
        var pathBase = context.Request.PathBase;
        return new SpaPaths(
            Login: pathBase.Add(bff.LoginPath).Value!,
            User: pathBase.Add(bff.UserPath).Value!,
            Logout: pathBase.Add(bff.LogoutPath).Value!,
            Sessions: pathBase.Add(bff.SessionsPath).Value!,
            Events: pathBase.Add(bff.EventsPath).Value!,
            Account: pathBase.Add(account.Path).Value!);
    }

    /// <summary>The BFF's endpoints the SPA calls or links to (names as in <c>paths.js</c>).</summary>
    private sealed record SpaPaths(string Login, string User, string Logout, string Sessions, string Events, string Account);
}
