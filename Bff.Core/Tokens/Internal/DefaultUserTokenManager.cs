using Bff.Api.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bff.Tokens.Internal;

/// <summary>
/// Finds the request's session (or bearer token) and asks <see cref="SessionTokenService"/> for
/// the session's access token.
/// </summary>
internal sealed class DefaultUserTokenManager(
    SessionTokenService sessions,
    IServerSessionStore store,
    IOidcTokenClient tokenClient,
    IAuthenticationSchemeProvider schemes) : IUserTokenManager
{
    public async Task<UserTokenResult> GetAccessTokenAsync(
        HttpContext context,
        UserTokenRequestParameters? parameters = null,
        CancellationToken cancellationToken = default) =>
        (await GetIssuedAsync(context, parameters?.ForceRefresh ?? false, cancellationToken)).Result;

    /// <summary>
    /// The request's access token with its <c>Authorization</c> header value, for the proxy: a
    /// session's cached token costs no allocation of its own (see <see cref="SessionTokenService.GetIssuedAsync"/>).
    /// </summary>
    internal async ValueTask<IssuedAccessToken> GetIssuedAsync(HttpContext context, bool forceRefresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A non-browser client that called with its own bearer token gets that token passed on;
        // it cannot be refreshed here, so a forced refresh has nothing to offer.
        if (BffApiAuthenticationSelector.IsBearerRequest(context.Request))
        {
            var bearer = await context.AuthenticateAsync(BffApiDefaults.BearerScheme);
            var token = bearer.Succeeded ? bearer.Properties?.GetTokenValue("access_token") : null;
            if (token is null || forceRefresh)
            {
                return IssuedAccessToken.Of(UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "bearer_token_rejected"));
            }

            var expires = bearer.Properties?.ExpiresUtc ?? DateTimeOffset.MaxValue;
            return IssuedAccessToken.Of(UserTokenResult.Success(token, expires));
        }

        var key = await SessionKeyAsync(context, schemes);
        if (key is null)
        {
            return IssuedAccessToken.Of(UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "no_session"));
        }

        return await sessions.GetIssuedAsync(key, forceRefresh, cancellationToken);
    }

    public Task<UserTokenResult> GetAccessTokenAsync(
        string sessionKey,
        UserTokenRequestParameters? parameters = null,
        CancellationToken cancellationToken = default) =>
        sessions.GetAccessTokenAsync(sessionKey, parameters?.ForceRefresh ?? false, cancellationToken);

    public async Task<TokenRevocationResult> RevokeRefreshTokenAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await SessionKeyAsync(context, schemes);
        if (key is null)
        {
            return TokenRevocationResult.NothingToRevoke;
        }

        var session = await store.GetAsync(key, cancellationToken);
        return session?.Tokens?.RefreshToken is { Length: > 0 } refreshToken
            ? await tokenClient.RevokeRefreshTokenAsync(refreshToken, cancellationToken)
            : TokenRevocationResult.NothingToRevoke;
    }

    /// <summary>The request's session key, or null when it has no session.</summary>
    internal static async ValueTask<string?> SessionKeyAsync(HttpContext context, IAuthenticationSchemeProvider schemes)
    {
        // Set by the cookie scheme when it accepted the session earlier in this request.
        if (BffSessionFeature.KeyOf(context) is { } accepted)
        {
            return accepted;
        }

        return await BffSchemes.SessionSchemeAsync(schemes) is { } scheme
            ? await BffSessionFeature.KeyFromHandlerAsync(context, scheme)
            : null;
    }
}
