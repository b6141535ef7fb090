namespace Bff.Sessions.Internal;

/// <summary>
/// Revokes an ended session's refresh token at the identity provider. The token feature, a layer above
/// sessions, implements it; ending a session needs only this one call of it.
/// </summary>
internal interface IRefreshTokenRevocation
{
    /// <summary>Revokes <paramref name="refreshToken"/>; the error names why it failed, null when it did not.</summary>
    Task<(bool Succeeded, string? Error)> RevokeAsync(string refreshToken, CancellationToken cancellationToken);
}
