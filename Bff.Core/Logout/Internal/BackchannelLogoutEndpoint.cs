using System.Text.Json.Serialization;
using Bff.Api.Internal;
using Bff.Sessions;
using Bff.Telemetry.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Bff.Logout.Internal;

/// <summary>
/// <c>POST /bff/backchannel</c>: OpenID Connect Back-Channel Logout 1.0. The identity provider posts a
/// signed <c>logout_token</c>; when it is valid, the sessions of its <c>sid</c> (or, with only a
/// <c>sub</c>, every session of that user) end and their refresh tokens are revoked. The SPA's next API
/// call then gets 401.
/// </summary>
/// <remarks>
/// A server-to-server call: no cookie, no anti-forgery header; the token's signature is the
/// authentication. Answers 200, or 400 with <c>{"error":"invalid_request","error_description":...}</c>,
/// always with <c>Cache-Control: no-store</c>.
/// </remarks>
internal static class BackchannelLogoutEndpoint
{
    /// <summary>Maps <c>POST</c> <paramref name="pattern"/> to the <see cref="IBackchannelLogoutEndpoint"/> from DI.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapPost(pattern, BffEndpointHandlers.For<IBackchannelLogoutEndpoint>())
            .AllowAnonymous()
            .WithName("BffBackchannelLogout")
            .WithBackchannelTelemetry()
            .ExcludeFromDescription();

    internal static async Task<IResult> HandleAsync(
        HttpContext context,
        ILogoutTokenValidator validator,
        IUserSessionService sessions,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(BackchannelLogoutEndpoint).FullName!);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        if (!context.Request.HasFormContentType)
        {
            return Error(logger, "The request must be application/x-www-form-urlencoded with a logout_token.");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Error(logger, "The form could not be read.");
        }

        var tokens = form["logout_token"];
        if (tokens.Count != 1 || string.IsNullOrEmpty(tokens[0]))
        {
            return Error(logger, "Exactly one logout_token is required.");
        }

        var result = await validator.ValidateAsync(tokens[0]!, context.RequestAborted).ConfigureAwait(false);
        if (result.Unavailable)
        {
            logger.LogoutTokenRefused(result.Error!);
            return TypedResults.Json(
                new BackchannelError("temporarily_unavailable", result.Error!),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (!result.Succeeded)
        {
            return Error(logger, result.Error!);
        }

        // With a sid, that session only (and, when sub is there too, only if it is that user's);
        // with only a sub, every session of the user.
        var count = await sessions.EndAllAsync(
            new SessionFilter(Subject: result.Subject, SessionId: result.SessionId),
            Bff.Sessions.SessionEndReason.BackchannelLogout,
            cancellationToken: CancellationToken.None).ConfigureAwait(false);
        logger.BackchannelLogout(result.SessionId, result.Subject, count);
        return TypedResults.Ok();
    }

    private static JsonHttpResult<BackchannelError> Error(ILogger logger, string description)
    {
        logger.LogoutTokenRefused(description);
        return TypedResults.Json(new BackchannelError("invalid_request", description), statusCode: StatusCodes.Status400BadRequest);
    }
}

/// <summary>The error body of the back-channel endpoint (RFC 6749 error response names).</summary>
/// <param name="Error">The error code.</param>
/// <param name="Description">What was wrong.</param>
internal sealed record BackchannelError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
