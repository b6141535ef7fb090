using Microsoft.AspNetCore.Http;

namespace Bff.Tokens;

/// <summary>
/// The BFF's own access token (client credentials grant), for calls made as the BFF rather than as a
/// user. Cached until shortly before it expires (<see cref="BffTokenOptions.RefreshBeforeExpiry"/>,
/// at most half its lifetime), shared over Redis when the sessions are there, and fetched once
/// however many requests wait.
/// </summary>
public interface IClientTokenManager
{
    /// <summary>Returns the BFF's client token; a failure says whether the provider refused it or could not be reached.</summary>
    /// <param name="cancellationToken">Stops waiting; a fetch other requests share goes on.</param>
    Task<UserTokenResult> GetAccessTokenAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The request's user token exchanged (RFC 8693) for one aimed at another audience, as Keycloak's
/// standard token exchange issues it. Cached per user token and audience, so per session: when the
/// session's token is refreshed the next call exchanges the new one, and once the session has ended
/// nothing can reach its exchanged tokens any more (they also expire with themselves).
/// </summary>
public interface ITokenExchangeManager
{
    /// <summary>Returns the user's token exchanged for <paramref name="audience"/>.</summary>
    /// <param name="context">The current request (cookie session or bearer token).</param>
    /// <param name="audience">The client id of the downstream API.</param>
    /// <param name="cancellationToken">Stops waiting; a shared exchange goes on.</param>
    Task<UserTokenResult> GetAccessTokenAsync(HttpContext context, string audience, CancellationToken cancellationToken = default);
}
