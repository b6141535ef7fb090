using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Login.Internal;

/// <summary>
/// Reads the discovery document as usual but takes the signing keys from <c>Oidc:JwksUri</c> instead
/// of the document's <c>jwks_uri</c> (the seed's OIDC_OP_JWKS_ENDPOINT).
/// </summary>
internal sealed class JwksOverrideConfigurationRetriever(Uri jwksUri) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        var document = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        var configuration = OpenIdConnectConfiguration.Create(document);
        configuration.JwksUri = jwksUri.AbsoluteUri;
        var keys = await retriever.GetDocumentAsync(configuration.JwksUri, cancel).ConfigureAwait(false);
        configuration.JsonWebKeySet = JsonWebKeySet.Create(keys);
        foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }
}
