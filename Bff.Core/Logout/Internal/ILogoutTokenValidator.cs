namespace Bff.Logout.Internal;

/// <summary>
/// Validates an OpenID Connect Back-Channel Logout 1.0 logout token: signature (the realm's JWKS),
/// issuer, audience, <c>iat</c> age, the back-channel <c>events</c> claim, <c>sid</c> or <c>sub</c>,
/// no <c>nonce</c>, and a <c>jti</c> never seen before.
/// </summary>
internal interface ILogoutTokenValidator
{
    /// <summary>Validates a logout token.</summary>
    /// <param name="logoutToken">The compact JWT form-posted as <c>logout_token</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LogoutTokenValidationResult> ValidateAsync(string logoutToken, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of validating a logout token: whose sessions to end, or why not.</summary>
internal sealed record LogoutTokenValidationResult
{
    private LogoutTokenValidationResult()
    {
    }

    /// <summary>Whether the token is valid.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The <c>sub</c> claim, when present.</summary>
    public string? Subject { get; private init; }

    /// <summary>The <c>sid</c> claim, when present.</summary>
    public string? SessionId { get; private init; }

    /// <summary>Why the token was refused (safe to return to the caller; never contains the token).</summary>
    public string? Error { get; private init; }

    /// <summary>Whether the failure is the validator's, not the token's (keys could not be loaded).</summary>
    public bool Unavailable { get; private init; }

    /// <summary>A valid token for <paramref name="subject"/> and/or <paramref name="sessionId"/>.</summary>
    /// <param name="subject">The <c>sub</c>.</param>
    /// <param name="sessionId">The <c>sid</c>.</param>
    public static LogoutTokenValidationResult Success(string? subject, string? sessionId) =>
        new() { Subject = subject, SessionId = sessionId };

    /// <summary>A refused token.</summary>
    /// <param name="error">Why.</param>
    public static LogoutTokenValidationResult Failure(string error) => new() { Error = error };

    /// <summary>The token could not be checked (the identity provider's keys are unavailable).</summary>
    /// <param name="error">Why.</param>
    public static LogoutTokenValidationResult NotAvailable(string error) => new() { Error = error, Unavailable = true };
}
