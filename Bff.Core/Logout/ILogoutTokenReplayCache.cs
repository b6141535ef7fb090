namespace Bff.Logout;

/// <summary>Remembers the <c>jti</c> of accepted logout tokens so that a replay is refused.</summary>
/// <remarks>
/// The default keeps the ids in the BFF's LiteDB database, or in Redis when the sessions are there
/// (<c>Bff:Storage:Sessions=Redis</c>), so that a token replayed to another instance is refused too.
/// To keep them elsewhere, call <c>AddBff(...).AddLogoutTokenReplayCache&lt;T&gt;()</c>, which replaces
/// both. One registered before <c>AddBff</c> is kept on LiteDB, and replaced by the Redis one when the
/// sessions are in Redis.
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
