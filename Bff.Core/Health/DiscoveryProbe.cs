using Bff.Configuration;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Health;

/// <summary>The outcome of one fresh fetch of the discovery document.</summary>
internal sealed record DiscoveryProbeResult(string Address, OpenIdConnectConfiguration? Configuration, string? Error);

/// <summary>
/// Fetches the identity provider's discovery document fresh, from the address and with the
/// back-channel client the OpenID Connect handler uses (so <c>Oidc:MetadataAddress</c> and
/// <c>Oidc:RequireHttpsMetadata</c> apply), without touching the handler's cached copy, which
/// would hide an identity provider that went away.
/// </summary>
internal sealed class DiscoveryProbe(IOptionsMonitor<OpenIdConnectOptions> oidc)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<DiscoveryProbeResult> FetchAsync(CancellationToken cancellationToken)
    {
        var options = oidc.Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        var address = options.MetadataAddress ?? "";
        if (address.Length == 0 || options.Backchannel is null)
        {
            return new(address, null, "no discovery address (set Oidc:Authority or Oidc:MetadataAddress)");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var retriever = new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata };
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, timeout.Token);
            var missing = new[]
            {
                ("issuer", configuration.Issuer),
                ("authorization_endpoint", configuration.AuthorizationEndpoint),
                ("token_endpoint", configuration.TokenEndpoint),
                ("jwks_uri", configuration.JwksUri),
            }.Where(f => string.IsNullOrEmpty(f.Item2)).Select(f => f.Item1).ToList();
            return missing.Count == 0
                ? new(address, configuration, null)
                : new(address, configuration, $"the document lacks {string.Join(", ", missing)}");
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or OperationCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            // HttpDocumentRetriever wraps transport and status failures in IOException; a body that is
            // not a discovery document surfaces as ArgumentException or a JSON error (an InvalidOperation).
            return new(address, null, ex.Message);
        }
    }
}
