using Bff.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Tokens.Internal;

/// <summary>
/// The heart of the token service: reads a session's tokens, refreshes them once per session
/// however many callers wait, and writes the new ones back through the session store.
/// </summary>
internal sealed class SessionTokenService(
    IServerSessionStore store,
    IOidcTokenClient tokenClient,
    IOptionsMonitor<BffTokenOptions> options,
    TimeProvider time,
    ILogger<SessionTokenService> logger)
{
    private readonly SingleFlight<string, UserTokenResult> refreshes = new(StringComparer.Ordinal);

    /// <summary>The number of sessions being refreshed right now, for tests.</summary>
    internal int RefreshesInFlight => refreshes.Count;

    public async Task<UserTokenResult> GetAccessTokenAsync(string sessionKey, bool forceRefresh, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);

        var session = await store.GetAsync(sessionKey, cancellationToken);
        if (session?.Tokens is not { } tokens)
        {
            return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, session is null ? "session_not_found" : "no_tokens");
        }

        var now = time.GetUtcNow();
        var skew = options.CurrentValue.RefreshBeforeExpiry;
        if (!forceRefresh && !TokenExpiry.NeedsRefresh(tokens.AccessTokenExpiresAt, now, skew))
        {
            return Success(tokens);
        }

        if (string.IsNullOrEmpty(tokens.RefreshToken))
        {
            // Providers issue refresh tokens only for some scopes (offline_access elsewhere): use
            // the access token until it really expires, then the user must sign in again.
            return TokenExpiry.IsExpired(tokens.AccessTokenExpiresAt, now) || forceRefresh
                ? UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "no_refresh_token")
                : Success(tokens);
        }

        var seen = tokens.AccessToken;

        // Important: the shared refresh runs without this caller's cancellation token, so a
        // caller that goes away does not fail the others; each caller only stops waiting.
        return await refreshes
            .RunAsync(sessionKey, () => RefreshAsync(sessionKey, seen, forceRefresh))
            .WaitAsync(cancellationToken);
    }

    private async Task<UserTokenResult> RefreshAsync(string sessionKey, string seenAccessToken, bool forceRefresh)
    {
        using var timeout = new CancellationTokenSource(options.CurrentValue.TokenEndpointTimeout * 2);
        var cancellationToken = timeout.Token;
        var label = SessionKeyHash.Of(sessionKey);

        // Read again inside the flight: a flight that finished between the caller's read and now
        // has stored new tokens, which must be used rather than redeeming the old refresh token a
        // second time (Keycloak's reuse detection would end the session).
        var session = await store.GetAsync(sessionKey, cancellationToken);
        if (session?.Tokens is not { } current)
        {
            return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "session_not_found");
        }

        var now = time.GetUtcNow();
        var stillFresh = !TokenExpiry.NeedsRefresh(current.AccessTokenExpiresAt, now, options.CurrentValue.RefreshBeforeExpiry);
        var changedSinceSeen = !string.Equals(current.AccessToken, seenAccessToken, StringComparison.Ordinal);
        if (stillFresh && (!forceRefresh || changedSinceSeen))
        {
            return Success(current);
        }

        if (string.IsNullOrEmpty(current.RefreshToken))
        {
            return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "no_refresh_token");
        }

        logger.Refreshing(label);
        var response = await tokenClient.RefreshAsync(current.RefreshToken, cancellationToken);
        switch (response.ErrorKind)
        {
            case TokenErrorKind.NeedsReauthentication:
                // The refresh token is dead (session ended at the IdP, reuse detected, expired):
                // nothing this session can do will get a token again, so end it now.
                logger.RefreshRefused(label, response.Error);
                await store.DeleteAsync(sessionKey, CancellationToken.None);
                return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, response.Error ?? "invalid_grant");
            case TokenErrorKind.Transient:
                logger.RefreshFailedTransiently(label, response.Error);
                return UserTokenResult.Failure(TokenErrorKind.Transient, response.Error ?? "token_endpoint_unavailable");
        }

        if (string.IsNullOrEmpty(response.AccessToken))
        {
            logger.RefreshFailedTransiently(label, "no_access_token_in_response");
            return UserTokenResult.Failure(TokenErrorKind.Transient, "no_access_token_in_response");
        }

        var refreshedAt = time.GetUtcNow();
        var renewed = new SessionTokens(
            response.AccessToken,
            TokenExpiry.ComputeExpiry(response.AccessToken, response.ExpiresIn, refreshedAt),
            // Keycloak rotates refresh tokens: keep the new one every time, the old one only when
            // the provider did not send a new one.
            string.IsNullOrEmpty(response.RefreshToken) ? current.RefreshToken : response.RefreshToken,
            string.IsNullOrEmpty(response.IdToken) ? current.IdToken : response.IdToken,
            string.IsNullOrEmpty(response.TokenType) ? current.TokenType : response.TokenType);

        if (!await store.UpdateTokensAsync(sessionKey, renewed, CancellationToken.None))
        {
            // Logged out while the refresh ran: leave no live refresh token behind.
            logger.SessionGoneDuringRefresh(label);
            if (!string.IsNullOrEmpty(response.RefreshToken))
            {
                await tokenClient.RevokeRefreshTokenAsync(response.RefreshToken, CancellationToken.None);
            }

            return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "session_not_found");
        }

        logger.Refreshed(label, renewed.AccessTokenExpiresAt, !string.IsNullOrEmpty(response.RefreshToken));
        return Success(renewed);
    }

    private static UserTokenResult Success(SessionTokens tokens) =>
        UserTokenResult.Success(tokens.AccessToken, tokens.AccessTokenExpiresAt, tokens.TokenType);
}
