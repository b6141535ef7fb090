namespace Bff.Logout;

/// <summary>Remembers the <c>jti</c> of accepted logout tokens so that a replay is refused.</summary>
/// <remarks>
/// The default keeps the ids in the BFF's LiteDB database, or in Redis when the sessions are there
/// (<c>Bff:Storage:Sessions=Redis</c>), so that a token replayed to another instance is refused too.
/// To keep them elsewhere, register an implementation before <c>AddBff</c>: the BFF adds its default
/// only when none is registered (with Redis sessions, the Redis one still takes its place).
/// </remarks>
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
