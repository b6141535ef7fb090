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
}
