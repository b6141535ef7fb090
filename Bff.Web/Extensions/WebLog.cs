namespace Bff.Web.Extensions;

/// <summary>Log messages of the app (event ids 2000-2099).</summary>
internal static partial class WebLog
{
    [LoggerMessage(2000, LogLevel.Warning,
        "Development: no Oidc:Authority is set, so the embedded development IdP serves realm 'bff' at {Authority}. "
        + "Sign in as alice / alice-password (admin) or bob / bob-password (user); see README.md. Set Oidc:Authority to use Keycloak.")]
    public static partial void EmbeddedIdpStarted(ILogger logger, Uri authority);

    [LoggerMessage(2001, LogLevel.Warning, "The remote API call failed: {Failure} (status {StatusCode}); the session is kept.")]
    public static partial void RemoteApiFailed(ILogger logger, Api.RemoteFailure failure, int? statusCode, Exception? exception);
}
