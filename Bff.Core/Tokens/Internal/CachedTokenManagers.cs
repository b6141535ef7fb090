using System.Security.Cryptography;
using System.Text;
using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Tokens.Internal;

/// <summary>The default <see cref="IClientTokenManager"/>: one cached token for the BFF's client id.</summary>
internal sealed class DefaultClientTokenManager(CachedTokens cache, IOidcTokenClient tokenClient, IOidcClientSettingsProvider settings) : IClientTokenManager
{
    public async Task<UserTokenResult> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var clientId = (await settings.GetSettingsAsync(cancellationToken)).ClientId;
        return await cache.GetAsync(
            "tokens:client:" + clientId,
            "client " + clientId,
            ct => tokenClient.RequestClientCredentialsTokenAsync(cancellationToken: ct),
            cancellationToken);
    }
}

/// <summary>
/// The default <see cref="ITokenExchangeManager"/>: the user's current access token (refreshed as
/// needed) is the subject token, and a digest of it is part of the cache key.
/// </summary>
internal sealed class DefaultTokenExchangeManager(
    CachedTokens cache,
    IOidcTokenClient tokenClient,
    IUserTokenManager userTokens,
    IAuthenticationSchemeProvider schemes) : ITokenExchangeManager
{
    public async Task<UserTokenResult> GetAccessTokenAsync(HttpContext context, string audience, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var user = await userTokens.GetAccessTokenAsync(context, cancellationToken: cancellationToken);
        if (!user.Succeeded)
        {
            return user;
        }

        // Keyed by a digest of the subject token, never the token: a refreshed user token is exchanged
        // anew, and only a caller holding the session's current token finds the cached one.
        var subjectToken = user.AccessToken;

        // Tagged with the session, so the entry goes when the session ends rather than when it expires
        // (a caller with its own bearer token has no session: its entry just expires).
        var sessionKey = BffApiAuthenticationSelector.IsBearerRequest(context.Request)
            ? null
            : await DefaultUserTokenManager.SessionKeyAsync(context, schemes);
        return await cache.GetAsync(
            ExchangedKey(audience, subjectToken),
            "exchanged for " + audience,
            ct => tokenClient.ExchangeTokenAsync(subjectToken, audience, ct),
            cancellationToken,
            sessionKey);
    }

    /// <summary>The cache key of the token exchanged for <paramref name="audience"/> from this subject token.</summary>
    internal static string ExchangedKey(string audience, string subjectToken) =>
        $"tokens:exchanged:{audience}:{WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(subjectToken)))}";
}
