using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Bff.Api.Internal;

/// <summary>The JSON answers (RFC 9457 ProblemDetails) of the BFF's API for the failures it owns.</summary>
internal static class BffApiProblems
{
    /// <summary>The <c>error</c> extension when the user must sign in again.</summary>
    public const string ReauthenticationRequired = "reauthentication_required";

    /// <summary>The <c>error</c> extension when the anti-forgery header is missing.</summary>
    public const string AntiforgeryHeaderMissing = "antiforgery_header_missing";

    /// <summary>The <c>error</c> extension when the identity provider cannot be reached.</summary>
    public const string IdentityProviderUnavailable = "identity_provider_unavailable";

    /// <summary>The <c>error</c> extension when the identity provider refused to issue a token for a remote API.</summary>
    public const string TokenRefused = "token_refused";

    /// <summary>The <c>error</c> extension when the session store (Redis, the database) cannot be reached.</summary>
    public const string SessionStoreUnavailableError = "session_store_unavailable";

    /// <summary>The <c>error</c> of a 503 because the database of users and app data cannot be reached.</summary>
    public const string DatabaseUnavailableError = "database_unavailable";

    /// <summary>The <c>error</c> extension when the user is signed in but not allowed.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>401: not signed in, or the session can no longer get tokens.</summary>
    /// <param name="detail">What happened, for people.</param>
    public static ProblemDetails Unauthorized(string detail = "Sign in to use this API.") =>
        Create(StatusCodes.Status401Unauthorized, "Authentication required", detail, ReauthenticationRequired);

    /// <summary>401: a cookie-authenticated call without <c>X-CSRF: 1</c>.</summary>
    public static ProblemDetails MissingAntiforgeryHeader() => Create(
        StatusCodes.Status401Unauthorized,
        "Anti-forgery header required",
        $"Calls authenticated by the session cookie must send the header '{BffApiDefaults.AntiforgeryHeaderName}: {BffApiDefaults.AntiforgeryHeaderValue}'.",
        AntiforgeryHeaderMissing);

    /// <summary>403: signed in, not allowed.</summary>
    public static ProblemDetails Forbid() =>
        Create(StatusCodes.Status403Forbidden, "Forbidden", "You are signed in but not allowed to do this.", Forbidden);

    /// <summary>503: the identity provider could not be reached; the session is kept.</summary>
    public static ProblemDetails Unavailable() => Create(
        StatusCodes.Status503ServiceUnavailable,
        "Identity provider unavailable",
        "The access token could not be refreshed because the identity provider is unavailable. Your session is kept; try again shortly.",
        IdentityProviderUnavailable);

    /// <summary>
    /// 502: the identity provider answered but would not issue the token a remote API needs (client
    /// credentials or token exchange not allowed for the BFF's client, an unknown audience).
    /// </summary>
    public static ProblemDetails Refused() => Create(
        StatusCodes.Status502BadGateway,
        "Token refused",
        "The identity provider refused to issue the access token this API needs. Your session is kept; this needs a change in configuration, not a retry.",
        TokenRefused);

    /// <summary>503: the session store (Redis) cannot be reached; the session is kept.</summary>
    public static ProblemDetails SessionStoreUnavailable() => StoreUnavailable(UnavailableStore.Redis);

    /// <summary>
    /// 503 naming the store that cannot be reached (its <c>store</c> member: <c>redis</c>,
    /// <c>postgresql</c>, <c>database</c>), never its address; the session is kept.
    /// </summary>
    internal static ProblemDetails StoreUnavailable(UnavailableStore store)
    {
        var problem = Create(
            StatusCodes.Status503ServiceUnavailable,
            store.Title,
            $"{char.ToUpperInvariant(store.Description[0])}{store.Description[1..]} cannot be reached right now. Your session is kept; try again shortly.",
            store.Error);
        problem.Extensions["store"] = store.Id;
        return problem;
    }

    /// <summary>Writes a problem to the response, with <c>Cache-Control: no-store</c>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="problem">The problem.</param>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        context.Response.Headers.CacheControl = "no-store";
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        await TypedResults.Problem(problem).ExecuteAsync(context);
    }

    private static ProblemDetails Create(int status, string title, string detail, string error)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["error"] = error;
        return problem;
    }
}
