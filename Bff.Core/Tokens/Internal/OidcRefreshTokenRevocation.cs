using Bff.Sessions.Internal;

namespace Bff.Tokens.Internal;

/// <summary>Ended sessions' refresh tokens revoked through the <see cref="IOidcTokenClient"/>.</summary>
internal sealed class OidcRefreshTokenRevocation(IOidcTokenClient tokenClient) : IRefreshTokenRevocation
{
    public async Task<(bool Succeeded, string? Error)> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var result = await tokenClient.RevokeRefreshTokenAsync(refreshToken, cancellationToken).ConfigureAwait(false);
        return (result.Succeeded, result.Error);
    }
}
