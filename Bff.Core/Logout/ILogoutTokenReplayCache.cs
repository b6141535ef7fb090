namespace Bff.Logout;

/// <summary>Remembers the <c>jti</c> of accepted logout tokens so that a replay is refused.</summary>
public interface ILogoutTokenReplayCache
{
    /// <summary>
    /// Records a token id until <paramref name="expiresAt"/>. Returns <see langword="false"/> when it was
    /// seen already (a replay) or cannot be remembered (then the token must be refused, not accepted unchecked).
    /// </summary>
    /// <param name="tokenId">The issuer-scoped token id.</param>
    /// <param name="expiresAt">When the token could no longer be accepted anyway.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> TryAddAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);
}
