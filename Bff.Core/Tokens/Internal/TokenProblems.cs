using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Bff.Tokens.Internal;

/// <summary>The API's JSON answers (<see cref="BffApiProblems"/>) for a user token that cannot be had.</summary>
internal static class TokenProblems
{
    /// <summary>The answer for a failed token result: 401 (sign in again), 502 (the provider refused the token) or 503 (try later).</summary>
    /// <param name="result">The failed result.</param>
    public static ProblemDetails ForTokenFailure(UserTokenResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ErrorKind == TokenErrorKind.Transient && result.Error == BffApiProblems.SessionStoreUnavailableError)
        {
            return BffApiProblems.SessionStoreUnavailable();
        }

        return result.ErrorKind switch
        {
            TokenErrorKind.Transient => BffApiProblems.Unavailable(),
            TokenErrorKind.Refused => BffApiProblems.Refused(),
            _ => BffApiProblems.Unauthorized("Your session can no longer call APIs; sign in again."),
        };
    }

    /// <summary>
    /// Answers a failed token result: 503 JSON when transient; 401 JSON when the user must sign in
    /// again, and then the session cookie of a cookie call is cleared too, since its session is gone.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="result">The failed result.</param>
    public static async Task WriteTokenFailureAsync(HttpContext context, UserTokenResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (result.ErrorKind == TokenErrorKind.NeedsReauthentication && !BffApiAuthenticationSelector.IsBearerRequest(context.Request))
        {
            await context.SignOutAsync();
        }

        await BffApiProblems.WriteAsync(context, ForTokenFailure(result));
    }
}
