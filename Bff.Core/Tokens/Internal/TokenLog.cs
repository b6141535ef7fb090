using Microsoft.Extensions.Logging;

namespace Bff.Tokens.Internal;

/// <summary>Log messages of the token feature (event ids 4100-4199). Never a token.</summary>
internal static partial class TokenLog
{
    [LoggerMessage(4100, LogLevel.Debug, "Refreshing the access token of session {SessionKeyHash}.")]
    public static partial void Refreshing(this ILogger logger, string sessionKeyHash);

    [LoggerMessage(4101, LogLevel.Information, "Refreshed the access token of session {SessionKeyHash}; new one expires at {ExpiresAt:O}, refresh token rotated: {Rotated}.")]
    public static partial void Refreshed(this ILogger logger, string sessionKeyHash, DateTimeOffset expiresAt, bool rotated);

    [LoggerMessage(4102, LogLevel.Information, "The identity provider refused the refresh token of session {SessionKeyHash} ({Error}); the session ends.")]
    public static partial void RefreshRefused(this ILogger logger, string sessionKeyHash, string? error);

    [LoggerMessage(4103, LogLevel.Warning, "Refreshing the access token of session {SessionKeyHash} failed transiently ({Error}); the session is kept.")]
    public static partial void RefreshFailedTransiently(this ILogger logger, string sessionKeyHash, string? error);

    [LoggerMessage(4104, LogLevel.Information, "Session {SessionKeyHash} was deleted while its tokens were refreshed; the new refresh token is revoked.")]
    public static partial void SessionGoneDuringRefresh(this ILogger logger, string sessionKeyHash);

    [LoggerMessage(4105, LogLevel.Warning, "The identity provider's discovery document could not be loaded: {Error}.")]
    public static partial void DiscoveryFailed(this ILogger logger, string? error);

    [LoggerMessage(4106, LogLevel.Warning, "The token endpoint failed: {ErrorType} {StatusCode} {Error}.")]
    public static partial void TokenEndpointFailed(this ILogger logger, string errorType, int statusCode, string? error);

    [LoggerMessage(4107, LogLevel.Warning, "Revoking a refresh token failed: {Error}.")]
    public static partial void RevocationFailed(this ILogger logger, string? error);

    [LoggerMessage(4108, LogLevel.Debug, "The token endpoint answered the refresh with {Error}, which is not invalid_grant; the session is kept.")]
    public static partial void UnexpectedProtocolError(this ILogger logger, string? error);

    [LoggerMessage(4109, LogLevel.Warning, "The refresh lease of session {SessionId} could not be renewed in time; the refresh stops so that another instance may take it.")]
    public static partial void LeaseLost(this ILogger logger, string sessionId);

    [LoggerMessage(4110, LogLevel.Warning, "The refresh lease of session {SessionId} could not be released ({Error}); it runs out by itself.")]
    public static partial void LeaseReleaseFailed(this ILogger logger, string sessionId, string error);

    [LoggerMessage(4111, LogLevel.Warning, "Session {SessionKeyHash} was not refreshed by the instance holding its refresh lease within {Timeout}; this request answers 503.")]
    public static partial void RefreshWaitTimedOut(this ILogger logger, string sessionKeyHash, TimeSpan timeout);

    [LoggerMessage(4112, LogLevel.Warning, "The refresh coordination store (Redis) cannot be reached ({Error}); the session is kept and this request answers 503.")]
    public static partial void CoordinationUnavailable(this ILogger logger, string error);

    [LoggerMessage(4113, LogLevel.Information, "Session {SessionKeyHash} got newer tokens from another instance while this one refreshed; its own new tokens are dropped.")]
    public static partial void RefreshLostRace(this ILogger logger, string sessionKeyHash);

    [LoggerMessage(4120, LogLevel.Warning, "The token endpoint did not issue a token for the {Grant} grant: {ErrorType} {StatusCode} {Error}.")]
    public static partial void TokenRequestFailed(this ILogger logger, string grant, string errorType, int statusCode, string? error);

    [LoggerMessage(4121, LogLevel.Debug, "Fetched a new {Target} token; it expires at {ExpiresAt:O}.")]
    public static partial void CachedTokenFetched(this ILogger logger, string target, DateTimeOffset expiresAt);

    [LoggerMessage(4122, LogLevel.Warning, "The token cache's distributed store cannot be reached ({Error}); the token is kept in this instance only.")]
    public static partial void TokenCacheStoreUnavailable(this ILogger logger, string error);

    [LoggerMessage(4123, LogLevel.Warning, "The token cache's distributed store cannot be reached ({Error}); an ended session's exchanged tokens stay there until they expire.")]
    public static partial void SessionTokensNotRemoved(this ILogger logger, string error);
}
