using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Logging;

namespace Bff.Tokens.Internal;

/// <summary>
/// <see cref="IOidcTokenClient"/> on Duende.IdentityModel: a cached discovery document, then the
/// token and revocation endpoints it names, authenticating as the BFF's confidential client.
/// </summary>
internal sealed class DuendeOidcTokenClient(
    IHttpClientFactory httpClientFactory,
    IOidcClientSettingsProvider settingsProvider,
    Telemetry.Internal.BffMetrics metrics,
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
        var started = metrics.TokenEndpointStarting();
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
            metrics.TokenEndpointCalled(started, "refresh", "timeout");
            return new TokenRefreshResult { ErrorKind = TokenErrorKind.Transient, Error = "timeout" };
        }

        metrics.TokenEndpointCalled(started, "refresh", Outcome(response));

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

    public Task<TokenRefreshResult> RequestClientCredentialsTokenAsync(string? scope = null, CancellationToken cancellationToken = default) =>
        RequestIssuedTokenAsync(
            "client_credentials",
            (http, address, client, ct) => http.RequestClientCredentialsTokenAsync(
                new ClientCredentialsTokenRequest
                {
                    Address = address,
                    ClientId = client.ClientId,
                    ClientSecret = client.ClientSecret,
                    ClientCredentialStyle = ClientCredentialStyle.PostBody,
                    Scope = string.IsNullOrWhiteSpace(scope) ? null : scope,
                },
                ct),
            cancellationToken);

    public Task<TokenRefreshResult> ExchangeTokenAsync(string subjectToken, string audience, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subjectToken);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        return RequestIssuedTokenAsync(
            "token_exchange",
            (http, address, client, ct) => http.RequestTokenExchangeTokenAsync(
                new TokenExchangeTokenRequest
                {
                    Address = address,
                    ClientId = client.ClientId,
                    ClientSecret = client.ClientSecret,
                    ClientCredentialStyle = ClientCredentialStyle.PostBody,
                    SubjectToken = subjectToken,
                    SubjectTokenType = OidcConstants.TokenTypeIdentifiers.AccessToken,
                    RequestedTokenType = OidcConstants.TokenTypeIdentifiers.AccessToken,
                    Audience = audience,
                },
                ct),
            cancellationToken);
    }

    /// <summary>
    /// One token request for a new token that is not a refresh (client credentials, exchange): any
    /// answer of the provider that is an OAuth error is a refusal (502 for the caller, nothing to
    /// retry); no answer, a timeout or a 5xx is transient (503).
    /// </summary>
    private async Task<TokenRefreshResult> RequestIssuedTokenAsync(
        string grant,
        Func<HttpClient, string, OidcClientSettings, CancellationToken, Task<TokenResponse>> send,
        CancellationToken cancellationToken)
    {
        var (document, client) = await GetDiscoveryAsync(cancellationToken);
        if (document?.TokenEndpoint is not { Length: > 0 } tokenEndpoint)
        {
            return new TokenRefreshResult { ErrorKind = TokenErrorKind.Transient, Error = "discovery_failed" };
        }

        TokenResponse response;
        try
        {
            response = await send(HttpClient(), tokenEndpoint, client, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TokenRefreshResult { ErrorKind = TokenErrorKind.Transient, Error = "timeout" };
        }

        if (!response.IsError && !string.IsNullOrEmpty(response.AccessToken))
        {
            return new TokenRefreshResult { AccessToken = response.AccessToken, ExpiresIn = response.ExpiresIn, TokenType = response.TokenType };
        }

        logger.TokenRequestFailed(grant, response.ErrorType.ToString(), (int)response.HttpStatusCode, response.Error);
        var refused = response.ErrorType == ResponseErrorType.Protocol && (int)response.HttpStatusCode is >= 400 and < 500;
        return new TokenRefreshResult
        {
            ErrorKind = refused ? TokenErrorKind.Refused : TokenErrorKind.Transient,
            Error = refused ? response.Error : "token_endpoint_unavailable",
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

        var started = metrics.TokenEndpointStarting();
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
        metrics.TokenEndpointCalled(started, "revoke", Outcome(response));
        if (response.IsError)
        {
            logger.RevocationFailed(response.Error ?? response.ErrorType.ToString());
            return new TokenRevocationResult(false, response.Error ?? "revocation_failed");
        }

        return new TokenRevocationResult(true);
    }

    /// <summary>A few fixed words for the latency metric's result tag: an error text from the provider could be anything.</summary>
    private static string Outcome(ProtocolResponse response) =>
        !response.IsError ? "succeeded"
        : response.ErrorType != ResponseErrorType.Protocol ? "unavailable"
        : response.Error == "invalid_grant" ? "invalid_grant"
        : "protocol_error";

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
