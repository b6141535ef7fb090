using Duende.IdentityModel.Client;
using Microsoft.Extensions.Logging;
using Bff.Login.Internal;
using Bff.Logout.Internal;

namespace Bff.Tokens.Internal;

/// <summary>
/// <see cref="IOidcTokenClient"/> on Duende.IdentityModel: a cached discovery document, then the
/// token and revocation endpoints it names, authenticating as the BFF's confidential client.
/// </summary>
internal sealed class DuendeOidcTokenClient(
    IHttpClientFactory httpClientFactory,
    IOidcClientSettingsProvider settingsProvider,
    ILogger<DuendeOidcTokenClient> logger) : IOidcTokenClient
{
    /// <summary>The named HttpClient for back-channel calls to the identity provider.</summary>
    public const string HttpClientName = "Bff.Tokens";

    // Built on first use: the OpenID Connect options it reads are complete only once the app runs.
    private Lazy<Task<(DiscoveryCache Cache, OidcClientSettings Settings)>>? discovery;

    public async Task<TokenRefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        var (document, client) = await GetDiscoveryAsync(cancellationToken);
        if (document is null)
        {
            return new TokenRefreshResult { ErrorKind = TokenErrorKind.Transient, Error = "discovery_failed" };
        }

        TokenResponse response;
        try
        {
            response = await HttpClient().RequestRefreshTokenAsync(
                new RefreshTokenRequest
                {
                    Address = document.TokenEndpoint,
                    ClientId = client.ClientId,
                    ClientSecret = client.ClientSecret,
                    // The same client authentication ASP.NET's OpenID Connect handler used for the
                    // code exchange, so refresh works wherever login did.
                    ClientCredentialStyle = ClientCredentialStyle.PostBody,
                    RefreshToken = refreshToken,
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TokenRefreshResult { ErrorKind = TokenErrorKind.Transient, Error = "timeout" };
        }

        if (!response.IsError)
        {
            return new TokenRefreshResult
            {
                AccessToken = response.AccessToken,
                ExpiresIn = response.ExpiresIn,
                RefreshToken = response.RefreshToken,
                IdToken = response.IdentityToken,
                TokenType = response.TokenType,
            };
        }

        logger.TokenEndpointFailed(response.ErrorType.ToString(), (int)response.HttpStatusCode, response.Error);
        if (response.ErrorType == ResponseErrorType.Protocol && response.Error == "invalid_grant")
        {
            return new TokenRefreshResult { ErrorKind = TokenErrorKind.NeedsReauthentication, Error = "invalid_grant" };
        }

        // Note: only invalid_grant says the refresh token is dead. invalid_client and the like
        // mean the BFF is misconfigured or the IdP is confused; ending every user's session for
        // that would turn one bad deployment into a mass logout, so they count as transient.
        if (response.ErrorType == ResponseErrorType.Protocol)
        {
            logger.UnexpectedProtocolError(response.Error);
        }

        return new TokenRefreshResult
        {
            ErrorKind = TokenErrorKind.Transient,
            Error = response.ErrorType == ResponseErrorType.Protocol ? response.Error : "token_endpoint_unavailable",
        };
    }

    public async Task<TokenRevocationResult> RevokeRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            return TokenRevocationResult.NothingToRevoke;
        }

        var (document, client) = await GetDiscoveryAsync(cancellationToken);
        if (document is null)
        {
            return new TokenRevocationResult(false, "discovery_failed");
        }

        if (string.IsNullOrEmpty(document.RevocationEndpoint))
        {
            return new TokenRevocationResult(false, "no_revocation_endpoint");
        }

        var response = await HttpClient().RevokeTokenAsync(
            new TokenRevocationRequest
            {
                Address = document.RevocationEndpoint,
                ClientId = client.ClientId,
                ClientSecret = client.ClientSecret,
                ClientCredentialStyle = ClientCredentialStyle.PostBody,
                Token = refreshToken,
                TokenTypeHint = "refresh_token",
            },
            cancellationToken);
        if (response.IsError)
        {
            logger.RevocationFailed(response.Error ?? response.ErrorType.ToString());
            return new TokenRevocationResult(false, response.Error ?? "revocation_failed");
        }

        return new TokenRevocationResult(true);
    }

    private HttpClient HttpClient() => httpClientFactory.CreateClient(HttpClientName);

    private async Task<(DiscoveryDocumentResponse? Document, OidcClientSettings Settings)> GetDiscoveryAsync(CancellationToken cancellationToken)
    {
        discovery ??= new Lazy<Task<(DiscoveryCache, OidcClientSettings)>>(CreateDiscoveryAsync);
        var (cache, settings) = await discovery.Value.WaitAsync(cancellationToken);
        var document = await cache.GetAsync();
        if (document.IsError)
        {
            // Do not keep a failure cached: the next request must try the IdP again.
            logger.DiscoveryFailed(document.Error);
            cache.Refresh();
            return (null, settings);
        }

        return (document, settings);
    }

    private async Task<(DiscoveryCache, OidcClientSettings)> CreateDiscoveryAsync()
    {
        var settings = await settingsProvider.GetSettingsAsync();
        var cache = new DiscoveryCache(
            settings.DiscoveryAddress,
            HttpClient,
            new DiscoveryPolicy
            {
                RequireHttps = settings.RequireHttps,
                AllowHttpOnLoopback = true,
                ValidateIssuerName = settings.ValidateIssuerName,
                ValidateEndpoints = settings.ValidateIssuerName,
            });
        return (cache, settings);
    }
}
