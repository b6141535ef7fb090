using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Telemetry.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Tokens.Internal;

/// <summary>
/// The heart of the token service: reads a session's tokens, refreshes them once per session
/// however many callers wait, in this process and across instances, and writes the new ones back
/// through the session store.
/// </summary>
/// <remarks>
/// In order: the in-process single flight (one refresh per session in this instance); the
/// <see cref="IRefreshCoordinator"/> lease (one across instances; instances without it wait for the
/// holder and never call the token endpoint); a fresh read of the session under the lease (another
/// instance may have refreshed already, or died holding the lease before it redeemed anything); the
/// token call; a compare-and-set write on the session's version (a holder that stalled past its
/// lease cannot overwrite newer tokens); the lease's release, which wakes the waiters.
/// </remarks>
internal sealed class SessionTokenService(
    IInternalSessionStore store,
    IOidcTokenClient tokenClient,
    IRefreshCoordinator coordinator,
    SessionLifecycle lifecycle,
    BffMetrics metrics,
    IOptionsMonitor<BffTokenOptions> options,
    TimeProvider time,
    ILogger<SessionTokenService> logger)
{
    /// <summary>The error of a result when the session store or the refresh coordination is unreachable.</summary>
    internal const string StoreUnavailable = Api.Internal.BffApiProblems.SessionStoreUnavailableError;

    /// <summary>The longest a waiting instance sleeps between two reads of the session's version.</summary>
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    private readonly SingleFlight<string, UserTokenResult> refreshes = new(StringComparer.Ordinal);

    /// <summary>The number of sessions being refreshed right now, for tests.</summary>
    internal int RefreshesInFlight => refreshes.Count;

    public async Task<UserTokenResult> GetAccessTokenAsync(string sessionKey, bool forceRefresh, CancellationToken cancellationToken) =>
        (await GetIssuedAsync(sessionKey, forceRefresh, cancellationToken)).Result;

    /// <summary>
    /// The session's access token with its <c>Authorization</c> header value. While the stored token is
    /// fresh and the session sits in the session cache, this completes synchronously and allocates
    /// nothing: the same <see cref="IssuedAccessToken"/> serves each call until the tokens change.
    /// </summary>
    internal async ValueTask<IssuedAccessToken> GetIssuedAsync(string sessionKey, bool forceRefresh, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);

        SessionTokensRead read;
        try
        {
            read = await store.GetTokensAsync(sessionKey, cancellationToken);
        }
        catch (Exception e) when (StorageOutage.Is(e))
        {
            logger.CoordinationUnavailable(e.GetType().Name);
            return Failure(TokenErrorKind.Transient, StoreUnavailable);
        }

        if (read.Tokens is not { } tokens)
        {
            return Failure(TokenErrorKind.NeedsReauthentication, read.Found ? "no_tokens" : "session_not_found");
        }

        var now = time.GetUtcNow();
        var skew = options.CurrentValue.RefreshBeforeExpiry;
        if (!forceRefresh && !TokenExpiry.NeedsRefresh(tokens.AccessTokenExpiresAt, now, skew))
        {
            return Issued(read, tokens);
        }

        if (string.IsNullOrEmpty(tokens.RefreshToken))
        {
            // Providers issue refresh tokens only for some scopes (offline_access elsewhere): use
            // the access token until it really expires, then the user must sign in again.
            return TokenExpiry.IsExpired(tokens.AccessTokenExpiresAt, now) || forceRefresh
                ? Failure(TokenErrorKind.NeedsReauthentication, "no_refresh_token")
                : Issued(read, tokens);
        }

        return IssuedAccessToken.Of(await RefreshAsync(sessionKey, tokens.AccessToken, forceRefresh, cancellationToken));
    }

    /// <summary>Joins or starts the session's one refresh.</summary>
    /// <remarks>
    /// A method of its own because the lambda's closure would otherwise be allocated on entry to
    /// <see cref="GetIssuedAsync"/>, on every call, refresh or not.
    /// </remarks>
    private Task<UserTokenResult> RefreshAsync(string sessionKey, string seenAccessToken, bool forceRefresh, CancellationToken cancellationToken)
    {
        // Important: the shared refresh runs without this caller's cancellation token, so a
        // caller that goes away does not fail the others; each caller only stops waiting.
        return refreshes
            .RunAsync(sessionKey, () => RefreshAcrossInstancesAsync(sessionKey, seenAccessToken, forceRefresh), metrics.RefreshJoined)
            .WaitAsync(cancellationToken);
    }

    private static IssuedAccessToken Issued(SessionTokensRead read, SessionTokens tokens) =>
        read.Cached ? IssuedAccessToken.ForCached(tokens) : IssuedAccessToken.Of(tokens);

    private static IssuedAccessToken Failure(TokenErrorKind kind, string error) =>
        IssuedAccessToken.Of(UserTokenResult.Failure(kind, error));

    private async Task<UserTokenResult> RefreshAcrossInstancesAsync(string sessionKey, string seenAccessToken, bool forceRefresh)
    {
        var label = SessionKeyHash.Of(sessionKey);
        var waitTimeout = options.CurrentValue.RefreshWaitTimeout;
        var started = time.GetTimestamp();
        try
        {
            while (true)
            {
                using var attempt = new CancellationTokenSource(waitTimeout);
                var lease = await coordinator.TryAcquireAsync(sessionKey, attempt.Token);
                if (lease is not null)
                {
                    // Released after the write (or the failure): the waiters then read what we wrote.
                    await using (lease)
                    {
                        return await RefreshHoldingLeaseAsync(sessionKey, seenAccessToken, forceRefresh, label, lease.Lost);
                    }
                }

                // Another instance holds the lease: it refreshes, this one only watches the session
                // (in the storage: this instance's memory may not have heard of the refresh yet).
                var session = await store.GetFreshAsync(sessionKey, attempt.Token);
                if (session?.Tokens is not { } current)
                {
                    return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "session_not_found");
                }

                if (Refreshed(current, seenAccessToken, forceRefresh))
                {
                    return Success(current);
                }

                var remaining = waitTimeout - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    logger.RefreshWaitTimedOut(label, waitTimeout);
                    return UserTokenResult.Failure(TokenErrorKind.Transient, "refresh_in_progress_elsewhere");
                }

                // Woken by the holder's release; the poll covers a lost notice and a dead holder
                // (whose lease runs out, and the next attempt takes it).
                await coordinator.WaitForRefreshAsync(sessionKey, remaining < LongestPoll ? remaining : LongestPoll, attempt.Token);
            }
        }
        catch (Exception e) when (StorageOutage.Is(e))
        {
            // Redis (or the session store) cannot be reached: nothing was redeemed that was not
            // written, or the write's compare-and-set refused it; the session is kept for later.
            logger.CoordinationUnavailable(e.GetType().Name);
            return UserTokenResult.Failure(TokenErrorKind.Transient, StoreUnavailable);
        }
        catch (OperationCanceledException)
        {
            // A store call that hung past the wait: as unavailable, the session is kept.
            logger.RefreshWaitTimedOut(label, waitTimeout);
            return UserTokenResult.Failure(TokenErrorKind.Transient, StoreUnavailable);
        }
    }

    private async Task<UserTokenResult> RefreshHoldingLeaseAsync(string sessionKey, string seenAccessToken, bool forceRefresh, string label, CancellationToken leaseLost)
    {
        using var timeout = new CancellationTokenSource(options.CurrentValue.TokenEndpointTimeout * 2);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, leaseLost);
        var cancellationToken = linked.Token;

        // Read again under the lease: a refresh that finished (here or on another instance) between
        // the caller's read and now has stored new tokens, which must be used rather than redeeming
        // the old refresh token a second time (Keycloak's reuse detection would end the session).
        // From the storage itself, never this instance's memory, which may be a refresh behind.
        var session = await store.GetFreshAsync(sessionKey, cancellationToken);
        if (session?.Tokens is not { } current)
        {
            return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "session_not_found");
        }

        if (Refreshed(current, seenAccessToken, forceRefresh))
        {
            return Success(current);
        }

        if (string.IsNullOrEmpty(current.RefreshToken))
        {
            return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "no_refresh_token");
        }

        logger.Refreshing(label);
        using var activity = BffActivities.StartRefresh();
        TokenRefreshResult response;
        try
        {
            response = await tokenClient.RefreshAsync(current.RefreshToken, cancellationToken);
            BffActivities.SetResult(activity, response.ErrorKind switch
            {
                TokenErrorKind.NeedsReauthentication => "refused",
                TokenErrorKind.Transient => "transient_failure",
                _ => "succeeded",
            });
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            logger.RefreshFailedTransiently(label, "refresh_lease_lost");
            metrics.RefreshFailedTransiently();
            return UserTokenResult.Failure(TokenErrorKind.Transient, "refresh_lease_lost");
        }

        switch (response.ErrorKind)
        {
            case TokenErrorKind.NeedsReauthentication:
                return await RefusedAsync(sessionKey, session.Version, response.Error, label);
            case TokenErrorKind.Transient:
                logger.RefreshFailedTransiently(label, response.Error);
                metrics.RefreshFailedTransiently();
                return UserTokenResult.Failure(TokenErrorKind.Transient, response.Error ?? "token_endpoint_unavailable");
        }

        if (string.IsNullOrEmpty(response.AccessToken))
        {
            logger.RefreshFailedTransiently(label, "no_access_token_in_response");
            metrics.RefreshFailedTransiently();
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

        // Written only over the version that was read: if it moved, another writer got there first
        // (this holder stalled past its lease) and its tokens are the ones to keep.
        if (await store.CompareAndSetTokensAsync(sessionKey, session.Version, renewed, CancellationToken.None))
        {
            logger.Refreshed(label, renewed.AccessTokenExpiresAt, !string.IsNullOrEmpty(response.RefreshToken));
            metrics.RefreshSucceeded();
            return Success(renewed);
        }

        var now = await store.GetFreshAsync(sessionKey, CancellationToken.None);
        if (now?.Tokens is { } newer)
        {
            logger.RefreshLostRace(label);
            return Success(newer);
        }

        // Logged out while the refresh ran: leave no live refresh token behind.
        logger.SessionGoneDuringRefresh(label);
        if (!string.IsNullOrEmpty(response.RefreshToken))
        {
            await tokenClient.RevokeRefreshTokenAsync(response.RefreshToken, CancellationToken.None);
        }

        return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "session_not_found");
    }

    /// <summary>
    /// The provider refused the refresh token (session ended at the IdP, token reused or expired):
    /// the session can never get a token again and ends, unless another writer stored newer tokens
    /// meanwhile, which means the refused token was simply an old one.
    /// </summary>
    private async Task<UserTokenResult> RefusedAsync(string sessionKey, long readVersion, string? error, string label)
    {
        var now = await store.GetFreshAsync(sessionKey, CancellationToken.None);
        if (now is { Tokens: { } newer } && now.Version != readVersion)
        {
            logger.RefreshLostRace(label);
            return Success(newer);
        }

        logger.RefreshRefused(label, error);
        metrics.RefreshRefused();
        if (await store.DeleteAsync(sessionKey, CancellationToken.None))
        {
            lifecycle.SessionEnd(sessionKey, SessionEndReason.RefreshRefused);
        }

        return UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, error ?? "invalid_grant");
    }

    /// <summary>
    /// Whether the stored tokens can be handed out instead of refreshing: still fresh and, for a
    /// forced refresh, not the access token the caller found wanting.
    /// </summary>
    private bool Refreshed(SessionTokens current, string seenAccessToken, bool forceRefresh)
    {
        var stillFresh = !TokenExpiry.NeedsRefresh(current.AccessTokenExpiresAt, time.GetUtcNow(), options.CurrentValue.RefreshBeforeExpiry);
        var changedSinceSeen = !string.Equals(current.AccessToken, seenAccessToken, StringComparison.Ordinal);
        return stillFresh && (!forceRefresh || changedSinceSeen);
    }

    private static UserTokenResult Success(SessionTokens tokens) =>
        UserTokenResult.Success(tokens.AccessToken, tokens.AccessTokenExpiresAt, tokens.TokenType);
}
