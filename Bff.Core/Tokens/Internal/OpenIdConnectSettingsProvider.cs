using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Bff.Tokens.Internal;

/// <summary>
/// Reads <see cref="OidcClientSettings"/> from the application's OpenID Connect handler options,
/// so the token service talks to the same provider, as the same client, as login did.
/// </summary>
internal sealed class OpenIdConnectSettingsProvider(
    IAuthenticationSchemeProvider schemes,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions) : IOidcClientSettingsProvider
{
    public async ValueTask<OidcClientSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        var scheme = await FindSchemeAsync();
        var oidc = oidcOptions.Get(scheme);
        var authority = oidc.Authority?.TrimEnd('/');
        var metadata = oidc.MetadataAddress;
        if (string.IsNullOrEmpty(metadata) && string.IsNullOrEmpty(authority))
        {
            throw new InvalidOperationException(
                $"The OpenID Connect scheme '{scheme}' has neither an authority nor a metadata address (Oidc:Authority).");
        }

        if (string.IsNullOrEmpty(oidc.ClientId))
        {
            throw new InvalidOperationException($"The OpenID Connect scheme '{scheme}' has no client id (Oidc:ClientId).");
        }

        var discoveryAddress = string.IsNullOrEmpty(metadata)
            ? authority + "/.well-known/openid-configuration"
            : metadata;

        // A separate metadata address means the server reaches the IdP under another host name than
        // the issuer the browser sees, so the issuer and endpoint hosts cannot match the address.
        var sameHost = string.IsNullOrEmpty(metadata) || string.IsNullOrEmpty(authority) ||
            metadata.StartsWith(authority + "/", StringComparison.OrdinalIgnoreCase);

        return new OidcClientSettings(discoveryAddress, oidc.ClientId, oidc.ClientSecret, oidc.RequireHttpsMetadata, sameHost);
    }

    private async Task<string> FindSchemeAsync() => BffSchemes.OidcScheme(await schemes.GetAllSchemesAsync());
}
