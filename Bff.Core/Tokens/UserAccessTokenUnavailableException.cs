namespace Bff.Tokens;

/// <summary>No access token could be had for the current user.</summary>
public sealed class UserAccessTokenUnavailableException : Exception
{
    /// <summary>Creates the exception from the failed result.</summary>
    /// <param name="result">The failed token result.</param>
    public UserAccessTokenUnavailableException(UserTokenResult result)
        : base($"No access token for the current user: {result?.ErrorKind} ({result?.Error}).")
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>Creates the exception.</summary>
    public UserAccessTokenUnavailableException()
        : this(UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "unknown"))
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public UserAccessTokenUnavailableException(string message)
        : base(message) => Result = UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "unknown");

    /// <summary>Creates the exception with a message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UserAccessTokenUnavailableException(string message, Exception innerException)
        : base(message, innerException) => Result = UserTokenResult.Failure(TokenErrorKind.NeedsReauthentication, "unknown");

    /// <summary>Why there is no token.</summary>
    public UserTokenResult Result { get; }
}
