namespace Bff.Tokens;

/// <summary>
/// Talks to the identity provider's token and revocation endpoints for the BFF's own client.
/// The default implementation uses Duende.IdentityModel with a cached discovery document.
/// </summary>
internal interface IOidcTokenClient
{
    /// <summary>Redeems a refresh token (<c>grant_type=refresh_token</c>).</summary>
    /// <param name="refreshToken">The refresh token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TokenRefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks for the BFF's own access token (<c>grant_type=client_credentials</c>; the client needs a
    /// service account). A refusal by the provider is <see cref="TokenErrorKind.Refused"/>.
    /// </summary>
    /// <param name="scope">Scopes to ask for, space separated, or <see langword="null"/> for the client's defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TokenRefreshResult> RequestClientCredentialsTokenAsync(string? scope = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exchanges a user's access token for one aimed at <paramref name="audience"/> (RFC 8693,
    /// <c>grant_type=urn:ietf:params:oauth:grant-type:token-exchange</c>, as Keycloak's standard token
    /// exchange takes it). A refusal by the provider is <see cref="TokenErrorKind.Refused"/>.
    /// </summary>
    /// <param name="subjectToken">The user's access token.</param>
    /// <param name="audience">The client id the new token is for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TokenRefreshResult> ExchangeTokenAsync(string subjectToken, string audience, CancellationToken cancellationToken = default);

    /// <summary>Revokes a refresh token at the revocation endpoint (RFC 7009).</summary>
    /// <param name="refreshToken">The refresh token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TokenRevocationResult> RevokeRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken = default);
}

/// <summary>The answer of the token endpoint (a refresh, client credentials, an exchange): new tokens, or why not.</summary>
/// <remarks>Its <see cref="ToString"/> never prints a token.</remarks>
internal sealed record TokenRefreshResult
{
    /// <summary>The new access token.</summary>
    public string? AccessToken { get; init; }

    /// <summary>The access token's lifetime in seconds (<c>expires_in</c>), 0 when not given.</summary>
    public int ExpiresIn { get; init; }

    /// <summary>The new refresh token when the provider rotates them (Keycloak does), else <see langword="null"/>.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>A new ID token, when one came back.</summary>
    public string? IdToken { get; init; }

    /// <summary>The token type.</summary>
    public string? TokenType { get; init; }

    /// <summary>Why the refresh failed; <see langword="null"/> on success.</summary>
    public TokenErrorKind? ErrorKind { get; init; }

    /// <summary>The OAuth error code or a short reason; never a token.</summary>
    public string? Error { get; init; }

    /// <inheritdoc />
    public override string ToString() => ErrorKind is null
        ? $"TokenRefreshResult {{ Succeeded, ExpiresIn = {ExpiresIn}, Rotated = {RefreshToken is not null} }}"
        : $"TokenRefreshResult {{ {ErrorKind}, Error = {Error} }}";
}

/// <summary>Where and as whom the BFF talks to its identity provider.</summary>
/// <param name="DiscoveryAddress">The discovery document URL, or the authority it is under.</param>
/// <param name="ClientId">The BFF's client id.</param>
/// <param name="ClientSecret">The BFF's client secret, when it is a confidential client.</param>
/// <param name="RequireHttps">Whether the provider's endpoints must use HTTPS (loopback http is always allowed).</param>
/// <param name="ValidateIssuerName">
/// Whether the discovery document's issuer must match <paramref name="DiscoveryAddress"/>; off
/// when the server reaches the provider by another host name than the browser does.
/// </param>
internal sealed record OidcClientSettings(
    string DiscoveryAddress,
    string ClientId,
    string? ClientSecret,
    bool RequireHttps,
    bool ValidateIssuerName = true)
{
    /// <inheritdoc />
    public override string ToString() => $"OidcClientSettings {{ {DiscoveryAddress}, ClientId = {ClientId} }}";
}

/// <summary>
/// Supplies <see cref="OidcClientSettings"/>. The default reads the application's OpenID Connect
/// handler options, so login and refresh use one configuration.
/// </summary>
internal interface IOidcClientSettingsProvider
{
    /// <summary>Returns the settings.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<OidcClientSettings> GetSettingsAsync(CancellationToken cancellationToken = default);
}
