using Microsoft.AspNetCore.Http;

namespace Bff.Tokens;

/// <summary>
/// Gives server code the current user's access token, refreshing it when it is about to expire.
/// </summary>
/// <remarks>
/// Shaped like Duende.AccessTokenManagement's <c>IUserTokenManager</c> so that the Duende package
/// can replace this one with little change. Tokens live in the server-side session; a browser never
/// sees them. One refresh runs per session however many requests ask at once.
/// </remarks>
public interface IUserTokenManager
{
    /// <summary>
    /// Returns the access token of the request's user: the cookie session's (refreshed when it
    /// expires within <see cref="BffTokenOptions.RefreshBeforeExpiry"/>), or the bearer token the
    /// request was authenticated with.
    /// </summary>
    /// <param name="context">The current request.</param>
    /// <param name="parameters">Options for this call, e.g. a forced refresh.</param>
    /// <param name="cancellationToken">Cancels the wait; a refresh that other requests share goes on.</param>
    Task<UserTokenResult> GetAccessTokenAsync(
        HttpContext context,
        UserTokenRequestParameters? parameters = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the access token of a server-side session by its key, for code that runs outside the
    /// request that owns it (background work, tests).
    /// </summary>
    /// <param name="sessionKey">The server-side session key.</param>
    /// <param name="parameters">Options for this call, e.g. a forced refresh.</param>
    /// <param name="cancellationToken">Cancels the wait; a shared refresh goes on.</param>
    Task<UserTokenResult> GetAccessTokenAsync(
        string sessionKey,
        UserTokenRequestParameters? parameters = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the refresh token of the request's cookie session at the identity provider, if
    /// there is one. The session itself is left alone: logout deletes it.
    /// </summary>
    /// <param name="context">The current request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TokenRevocationResult> RevokeRefreshTokenAsync(HttpContext context, CancellationToken cancellationToken = default);
}

/// <summary>Options for one <see cref="IUserTokenManager.GetAccessTokenAsync(HttpContext, UserTokenRequestParameters?, CancellationToken)"/> call.</summary>
public sealed record UserTokenRequestParameters
{
    /// <summary>
    /// Refresh even when the stored access token has not expired, e.g. after a downstream API
    /// answered 401. A refresh another request finished meanwhile counts. Defaults to <see langword="false"/>.
    /// </summary>
    public bool ForceRefresh { get; init; }
}
