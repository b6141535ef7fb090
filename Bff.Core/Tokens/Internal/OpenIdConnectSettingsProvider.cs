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
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<BffTokenOptions> tokenOptions) : IOidcClientSettingsProvider
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

    private async Task<string> FindSchemeAsync()
    {
        if (tokenOptions.Value.OidcScheme is { Length: > 0 } configured)
        {
            return configured;
        }

        var all = await schemes.GetAllSchemesAsync();
        var oidcSchemes = all.Where(s => typeof(OpenIdConnectHandler).IsAssignableFrom(s.HandlerType)).ToList();
        return oidcSchemes.Count switch
        {
            1 => oidcSchemes[0].Name,
            0 => throw new InvalidOperationException("The token service needs an OpenID Connect authentication scheme; none is registered."),
            _ => throw new InvalidOperationException("Several OpenID Connect schemes are registered; set BffTokenOptions.OidcScheme to the one the BFF logs in with."),
        };
    }
}
