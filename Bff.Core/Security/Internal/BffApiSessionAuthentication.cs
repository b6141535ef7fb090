using Bff.Api.Internal;
using Bff.Tokens.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bff.Security.Internal;

/// <summary>What the API scheme makes of a request that carries no bearer token.</summary>
/// <param name="Session">The cookie session scheme's result, or "no result" when there is no session scheme.</param>
/// <param name="AntiforgeryHeaderMissing">
/// Whether the session succeeded but the request lacks the anti-forgery header its endpoint requires:
/// the request is then not authenticated, and its challenge says why.
/// </param>
internal readonly record struct BffApiSession(AuthenticateResult Session, bool AntiforgeryHeaderMissing)
{
    /// <summary>Whether the request is authenticated by its cookie session.</summary>
    public bool Succeeded => Session.Succeeded && !AntiforgeryHeaderMissing;
}

/// <summary>
/// The cookie half of the API scheme, shared by its handler and by the policy evaluator's shortcut so
/// that both judge a cookie request by the same rule.
/// </summary>
internal static class BffApiSessionAuthentication
{
    /// <summary>
    /// Asks the session scheme's handler, which keeps its result for the request (the authentication
    /// middleware has normally run it already): the authentication service would wrap that result in a
    /// new ticket only for the API scheme to wrap it again. Then checks the anti-forgery header.
    /// </summary>
    /// <param name="context">The request, which carries no bearer token.</param>
    /// <param name="schemes">The authentication schemes.</param>
    /// <param name="handlers">The request's authentication handlers.</param>
    /// <param name="apiScheme">The API scheme's name, which must not be its own session scheme.</param>
    public static async ValueTask<BffApiSession> AuthenticateAsync(
        HttpContext context, IAuthenticationSchemeProvider schemes, IAuthenticationHandlerProvider handlers, string apiScheme)
    {
        var sessionScheme = await BffSchemes.SessionSchemeAsync(schemes).ConfigureAwait(false);
        if (sessionScheme is null || sessionScheme == apiScheme)
        {
            return new(AuthenticateResult.NoResult(), AntiforgeryHeaderMissing: false);
        }

        var session = await handlers.GetHandlerAsync(context, sessionScheme).ConfigureAwait(false) is { } handler
            ? await handler.AuthenticateAsync().ConfigureAwait(false)
            : AuthenticateResult.NoResult();
        if (!session.Succeeded)
        {
            return new(session, AntiforgeryHeaderMissing: false);
        }

        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IBffApiMetadata>();
        var missing = metadata?.RequireAntiforgeryHeader != false && !BffApiRequest.HasAntiforgeryHeader(context.Request);
        return new(session, missing);
    }
}
