using Bff.Login.Internal;
using Bff.Users.Internal;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Login;

/// <summary>
/// The error codes a failed login sends to the error page (<c>Bff:ErrorPath</c>?error=code).
/// A fixed set, so that nothing from the identity provider's response is reflected into the page.
/// </summary>
public static class LoginErrors
{
    /// <summary>The person declined, or the identity provider refused, the authorization.</summary>
    public const string AccessDenied = "access_denied";

    /// <summary>The login's correlation cookie was missing or did not match (expired, replayed or cross-site login).</summary>
    public const string CorrelationFailed = "correlation_failed";

    /// <summary>The identity provider's discovery document or keys could not be fetched.</summary>
    public const string IdpUnavailable = "idp_unavailable";

    /// <summary>Two or more pre-existing local users match; the login was refused.</summary>
    public const string AmbiguousUser = UserMappingErrors.AmbiguousLink;

    /// <summary>The identity provider sent none of the user-name claims (<c>Bff:Users:UserNameClaims</c>); no local user was written.</summary>
    public const string UserNameMissing = "user_name_missing";

    /// <summary>A step-up login came back below the level it asked for (the realm has no step-up flow for it).</summary>
    public const string StepUpFailed = "step_up_failed";

    /// <summary>Any other failure (invalid token, state, nonce, signature ...).</summary>
    public const string LoginFailed = "login_failed";

    /// <summary>Maps a remote failure to one of the codes above.</summary>
    internal static string Classify(Exception? failure)
    {
        var message = failure?.Message ?? "";
        return failure switch
        {
            BffLoginRefusedException refused => refused.Code,
            HttpRequestException or TaskCanceledException => IdpUnavailable,
            OpenIdConnectProtocolException when message.Contains("access_denied", StringComparison.Ordinal) => AccessDenied,
            _ when message.Contains("Correlation failed", StringComparison.OrdinalIgnoreCase) => CorrelationFailed,
            _ when message.Contains("access_denied", StringComparison.Ordinal) => AccessDenied,
            _ when message.Contains("IDX20803", StringComparison.Ordinal) || failure?.InnerException is HttpRequestException => IdpUnavailable,
            _ => LoginFailed,
        };
    }
}
