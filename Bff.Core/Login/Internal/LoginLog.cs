using Microsoft.Extensions.Logging;

namespace Bff.Login.Internal;

/// <summary>Log messages of login (event ids 1000-1099). Never logs a token, code or cookie.</summary>
internal static partial class LoginLog
{
    [LoggerMessage(1000, LogLevel.Warning, "Login failed ({Code}).")]
    public static partial void RemoteLoginFailed(this ILogger logger, string code, Exception? exception);

    [LoggerMessage(1001, LogLevel.Warning, "The access token's sub differs from the ID token's; no roles are read from it.")]
    public static partial void AccessTokenSubjectMismatch(this ILogger logger);

    [LoggerMessage(1002, LogLevel.Error, "The identity provider's discovery document could not be loaded from {MetadataAddress}; check Oidc:Authority (or Oidc:MetadataAddress) and that the provider is reachable.")]
    public static partial void DiscoveryFailed(this ILogger logger, string? metadataAddress, Exception exception);

    [LoggerMessage(1005, LogLevel.Error, "The login could not start: the identity provider refused or did not answer the pushed authorization request (error page code {Code}); check that the client registers this redirect URI and that the provider is reachable.")]
    public static partial void PushedAuthorizationFailed(this ILogger logger, string code, Exception exception);

    [LoggerMessage(1003, LogLevel.Information, "Login refused: returnUrl is not a local URL.")]
    public static partial void ReturnUrlRefused(this ILogger logger);

    [LoggerMessage(1006, LogLevel.Information, "Login refused: {Reason}")]
    public static partial void LoginParameterRefused(this ILogger logger, string reason);

    [LoggerMessage(1004, LogLevel.Information, "Signed in subject {Subject} as local user {UserId}.")]
    public static partial void SignedIn(this ILogger logger, string subject, Guid userId);
}
