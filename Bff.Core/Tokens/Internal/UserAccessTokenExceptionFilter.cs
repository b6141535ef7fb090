using System.Text.Encodings.Web;
using Bff.Api;
using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Bff.Tokens.Internal;

/// <summary>
/// Turns <see cref="UserAccessTokenUnavailableException"/> (thrown by
/// <see cref="UserAccessTokenHandler"/> when no token can be had) into what a person or the SPA
/// should see: for Razor Pages and controllers a login (re-authentication needed: the session is
/// gone, so its cookie is cleared and the person is sent to <c>/bff/login</c> with a returnUrl back
/// to this page) or a readable 503 HTML page (identity provider down, the session is kept); for BFF
/// API endpoints JSON.
/// </summary>
internal sealed class UserAccessTokenExceptionFilter : IAsyncExceptionFilter
{
    public async Task OnExceptionAsync(ExceptionContext context)
    {
        if (context.Exception is not UserAccessTokenUnavailableException unavailable)
        {
            return;
        }

        context.ExceptionHandled = true;
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<IBffApiMetadata>() is not null)
        {
            await TokenProblems.WriteTokenFailureAsync(http, unavailable.Result);
            context.Result = new EmptyResult();
            return;
        }

        http.Response.Headers.CacheControl = "no-store";
        var here = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        if (unavailable.Result.ErrorKind is TokenErrorKind.Transient or TokenErrorKind.Refused)
        {
            http.Response.Headers.RetryAfter = "5";
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status503ServiceUnavailable,
                ContentType = "text/html; charset=utf-8",
                Content = IdentityProviderUnavailablePage(here),
            };
            return;
        }

        // The session was ended (refresh refused) or never had tokens: clear its cookie, which
        // points at nothing now, and let the cookie scheme's challenge send the person to log in
        // and come back here (its returnUrl is this local path).
        if (!BffApiAuthenticationSelector.IsBearerRequest(http.Request))
        {
            await http.SignOutAsync(BffAuthenticationDefaults.CookieScheme);
        }

        context.Result = new ChallengeResult(
            BffAuthenticationDefaults.CookieScheme,
            new AuthenticationProperties { RedirectUri = here });
    }

    // A page of its own, not the app's layout: Bff.Core knows no pages. No script or inline style,
    // so the Content-Security-Policy holds; the only request value in it is the encoded local path.
    private static string IdentityProviderUnavailablePage(string here) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>Sign-in service unavailable</title></head>
        <body>
        <h1>Sign-in service unavailable</h1>
        <p id="error-message">The sign-in service (the identity provider) cannot be reached right now, so this page could not be loaded. You are still signed in. Please try again in a moment.</p>
        <p><a id="retry" href="{HtmlEncoder.Default.Encode(here)}">Try again</a> &middot; <a href="/">Home</a></p>
        </body>
        </html>
        """;
}

/// <summary>The same for minimal API endpoints marked with <see cref="BffApiEndpointConventionBuilderExtensions.RequireBffApi{TBuilder}"/>.</summary>
internal sealed class UserAccessTokenEndpointFilter : IBffApiEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (UserAccessTokenUnavailableException unavailable)
        {
            var problem = TokenProblems.ForTokenFailure(unavailable.Result);
            if (unavailable.Result.ErrorKind == TokenErrorKind.NeedsReauthentication && !BffApiAuthenticationSelector.IsBearerRequest(context.HttpContext.Request))
            {
                // The session is gone; clear its cookie too.
                await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignOutAsync(context.HttpContext);
            }

            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return TypedResults.Problem(problem);
        }
    }
}
