namespace Bff.DevIdp;

/// <summary>The DevIdp's log messages. Never a password, secret, code or token; user ids and client ids only.</summary>
internal static partial class DevIdpLog
{
    [LoggerMessage(1, LogLevel.Warning, "Authorization request for unknown or disabled client {ClientId} in realm {Realm}.")]
    public static partial void UnknownClient(ILogger logger, string realm, string? clientId);

    [LoggerMessage(2, LogLevel.Warning, "Authorization request of client {ClientId} in realm {Realm} with an unregistered redirect_uri.")]
    public static partial void InvalidRedirectUri(ILogger logger, string realm, string clientId);

    [LoggerMessage(3, LogLevel.Warning, "Client authentication failed for client {ClientId} in realm {Realm}.")]
    public static partial void ClientAuthenticationFailed(ILogger logger, string realm, string? clientId);

    [LoggerMessage(4, LogLevel.Warning, "An authorization code was presented again in realm {Realm}; the tokens issued from it are revoked.")]
    public static partial void CodeReused(ILogger logger, string realm);

    [LoggerMessage(5, LogLevel.Warning, "A stale or revoked refresh token was presented in realm {Realm}.")]
    public static partial void RefreshTokenReused(ILogger logger, string realm);

    [LoggerMessage(6, LogLevel.Warning, "Logout request of client {ClientId} in realm {Realm} with an unregistered post_logout_redirect_uri.")]
    public static partial void InvalidPostLogoutRedirectUri(ILogger logger, string realm, string clientId);

    [LoggerMessage(7, LogLevel.Information, "User {UserId} signed in to realm {Realm}.")]
    public static partial void LoginSucceeded(ILogger logger, string realm, string userId);

    [LoggerMessage(8, LogLevel.Information, "A sign-in to realm {Realm} failed: {Reason}.")]
    public static partial void LoginFailed(ILogger logger, string realm, string reason);

    [LoggerMessage(9, LogLevel.Information, "SSO session of user {UserId} in realm {Realm} ended ({Reason}).")]
    public static partial void SessionEnded(ILogger logger, string realm, string userId, string reason);

    [LoggerMessage(10, LogLevel.Information, "Back-channel logout delivered to client {ClientId} ({StatusCode}).")]
    public static partial void BackchannelLogoutSent(ILogger logger, string clientId, int statusCode);

    [LoggerMessage(11, LogLevel.Warning, "Back-channel logout to client {ClientId} at {Url} failed.")]
    public static partial void BackchannelLogoutFailed(ILogger logger, Exception exception, string clientId, Uri url);

    [LoggerMessage(12, LogLevel.Warning, "Admin API request refused in realm {Realm}: {Reason}.")]
    public static partial void AdminRefused(ILogger logger, string realm, string reason);

    [LoggerMessage(13, LogLevel.Information, "DevIdp serves realm {Realm} from {File}.")]
    public static partial void RealmLoaded(ILogger logger, string realm, string file);

    [LoggerMessage(40, LogLevel.Warning, "Realm {Realm} ({File}): {Warning}")]
    public static partial void RealmWarning(ILogger logger, string realm, string file, string warning);

    [LoggerMessage(15, LogLevel.Information, "Account action {Action} of user {UserId} in realm {Realm} ended: {Status}.")]
    public static partial void AccountActionFinished(ILogger logger, string realm, string userId, string action, string status);

    [LoggerMessage(14, LogLevel.Warning, "Authorization request of client {ClientId} in realm {Realm} did not come through PAR, which the client requires.")]
    public static partial void PushedAuthorizationRequired(ILogger logger, string realm, string clientId);
}
