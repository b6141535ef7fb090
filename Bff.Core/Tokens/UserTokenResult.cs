using System.Diagnostics.CodeAnalysis;

namespace Bff.Tokens;

/// <summary>Why no access token could be had.</summary>
public enum TokenErrorKind
{
    /// <summary>
    /// The user must sign in again: no session, no tokens, no refresh token, or the identity
    /// provider refused the refresh token (<c>invalid_grant</c>: session ended, token reused or expired).
    /// </summary>
    NeedsReauthentication,

    /// <summary>
    /// The identity provider could not be reached or failed (network error, timeout, 5xx, an
    /// unexpected answer). The session is kept; a later request tries again.
    /// </summary>
    Transient,

    /// <summary>
    /// The identity provider answered, and refused to issue the token (a client credentials or token
    /// exchange request it does not allow: no service account, exchange not enabled, an unknown
    /// audience). A configuration problem between the BFF and its provider; retrying will not help,
    /// and nothing about the user's session changes.
    /// </summary>
    Refused,
}

/// <summary>
/// The outcome of asking for an access token (the user's, the BFF's own client token, an exchanged
/// one): the token, or why there is none.
/// </summary>
/// <remarks>Its <see cref="ToString"/> never prints the token, so logging a result leaks nothing.</remarks>
public sealed record UserTokenResult
{
    private UserTokenResult()
    {
    }

    /// <summary>The access token, when <see cref="Succeeded"/>.</summary>
    public string? AccessToken { get; private init; }

    /// <summary>The token type, normally <c>Bearer</c>.</summary>
    public string TokenType { get; private init; } = "Bearer";

    /// <summary>When the access token expires (<see cref="DateTimeOffset.MaxValue"/> when unknown).</summary>
    public DateTimeOffset ExpiresAt { get; private init; }

    /// <summary>Why there is no token, when not <see cref="Succeeded"/>.</summary>
    public TokenErrorKind? ErrorKind { get; private init; }

    /// <summary>A short machine-readable reason (e.g. <c>invalid_grant</c>, <c>session_not_found</c>); never a token.</summary>
    public string? Error { get; private init; }

    /// <summary>Whether a token is available.</summary>
    [MemberNotNullWhen(true, nameof(AccessToken))]
    public bool Succeeded => ErrorKind is null && AccessToken is not null;

    /// <summary>A result carrying a token.</summary>
    /// <param name="accessToken">The access token.</param>
    /// <param name="expiresAt">When it expires.</param>
    /// <param name="tokenType">Its type; <c>Bearer</c> when null or empty.</param>
    public static UserTokenResult Success(string accessToken, DateTimeOffset expiresAt, string? tokenType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        return new UserTokenResult
        {
            AccessToken = accessToken,
            ExpiresAt = expiresAt,
            TokenType = string.IsNullOrEmpty(tokenType) ? "Bearer" : tokenType,
        };
    }

    /// <summary>A result carrying no token.</summary>
    /// <param name="kind">Why.</param>
    /// <param name="error">A short machine-readable reason.</param>
    public static UserTokenResult Failure(TokenErrorKind kind, string error) =>
        new() { ErrorKind = kind, Error = error };

    /// <inheritdoc />
    public override string ToString() => Succeeded
        ? $"UserTokenResult {{ Succeeded, ExpiresAt = {ExpiresAt:O} }}"
        : $"UserTokenResult {{ {ErrorKind}, Error = {Error} }}";
}

/// <summary>The outcome of revoking a token.</summary>
/// <param name="Succeeded">Whether the identity provider accepted the revocation (or there was nothing to revoke).</param>
/// <param name="Error">A short reason when it did not; never a token.</param>
public sealed record TokenRevocationResult(bool Succeeded, string? Error = null)
{
    /// <summary>Nothing was revoked because there was no token.</summary>
    public static TokenRevocationResult NothingToRevoke { get; } = new(true, "no_token");
}
