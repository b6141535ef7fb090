using Bff.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Bff.Tokens.Internal;

/// <summary>
/// Turns <see cref="UserAccessTokenUnavailableException"/> (thrown by
/// <see cref="UserAccessTokenHandler"/> when no token can be had) into what a person or the SPA
/// should see: for Razor Pages and controllers a login (re-authentication needed, the session is
/// gone) or a 503 (identity provider down, the session is kept); for BFF API endpoints JSON.
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
            await BffApiProblems.WriteTokenFailureAsync(http, unavailable.Result);
            context.Result = new EmptyResult();
            return;
        }

        context.Result = unavailable.Result.ErrorKind == TokenErrorKind.Transient
            ? new ContentResult
            {
                StatusCode = StatusCodes.Status503ServiceUnavailable,
                ContentType = "text/plain; charset=utf-8",
                Content = "The identity provider is unavailable right now. You are still signed in; please try again shortly.",
            }
            // The session was ended (or never had tokens): the default challenge sends the person to
            // log in and come back here.
            : new ChallengeResult(new Microsoft.AspNetCore.Authentication.AuthenticationProperties
            {
                RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString,
            });
    }
}

/// <summary>The same for minimal API endpoints marked with <see cref="BffApiEndpointConventionBuilderExtensions.RequireBffApi{TBuilder}"/>.</summary>
internal sealed class UserAccessTokenEndpointFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (UserAccessTokenUnavailableException unavailable)
        {
            var problem = BffApiProblems.ForTokenFailure(unavailable.Result);
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
