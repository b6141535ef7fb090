using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bff.Login.Internal;

/// <summary>
/// A login request the BFF refuses before asking the provider (a bad parameter): 400, as a page for a
/// person following a link and as ProblemDetails for a script that asked for JSON.
/// </summary>
internal static class LoginRefusal
{
    public static IResult Create(HttpContext context, string title, string detail)
    {
        if (!context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
            && context.Request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
        }

        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
            <body><h1 id="login-refused">{WebUtility.HtmlEncode(title)}</h1><p id="login-refused-reason">{WebUtility.HtmlEncode(detail)}</p>
            <p><a href="/bff/login">Sign in</a> or <a href="/">go back to the application</a>.</p></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status400BadRequest);
    }
}
