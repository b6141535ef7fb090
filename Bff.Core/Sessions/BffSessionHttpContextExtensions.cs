using Bff.Api.Internal;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.Http;

namespace Bff.Sessions;

/// <summary>The request's server-side session, for an app's own pages and handlers.</summary>
public static class BffSessionHttpContextExtensions
{
    /// <summary>
    /// The session key of the request's cookie session, or <see langword="null"/> (not signed in, or a
    /// bearer-token call, which has no session). Pass it to <see cref="IUserSessionService"/> or
    /// <see cref="IServerSessionStore"/>; never show it: the cookie carries it, so it is a credential
    /// (show <see cref="UserSessionInfo.Id"/> instead).
    /// </summary>
    /// <param name="context">The request.</param>
    public static async Task<string?> GetBffSessionKeyAsync(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (BffApiAuthenticationSelector.IsBearerRequest(context.Request))
        {
            return null;
        }

        return BffSessionFeature.KeyOf(context)
            ?? await BffSessionFeature.KeyFromHandlerAsync(context, BffAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
    }
}
