using Bff.Tokens.Internal;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Health.Internal;

/// <summary>The outcome of one fresh fetch of the discovery document.</summary>
internal sealed record DiscoveryProbeResult(string Address, OpenIdConnectConfiguration? Configuration, string? Error);

/// <summary>
/// Fetches the identity provider's discovery document fresh, from the address and with the
/// back-channel client the OpenID Connect handler uses (so <c>Oidc:MetadataAddress</c> and
/// <c>Oidc:RequireHttpsMetadata</c> apply), without touching the handler's cached copy, which
/// would hide an identity provider that went away.
/// </summary>
/// <remarks>
/// <c>/health/ready</c> is anonymous: probes that arrive while one fetch is running wait for it
/// instead of each calling the identity provider (discovery and keys), so a burst of probes is one
/// fetch. Nothing is cached: a probe after a finished fetch fetches again, so readiness still turns
/// the moment the provider goes away.
/// </remarks>
internal sealed class DiscoveryProbe(IOptionsMonitor<OpenIdConnectOptions> oidc)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly SingleFlight<string, DiscoveryProbeResult> _fetches = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _firstFetch = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first fetch starts, whoever asked for it (a readiness probe, the start-up check).</summary>
    public Task FirstFetchStarted => _firstFetch.Task;

    public Task<DiscoveryProbeResult> FetchAsync(CancellationToken cancellationToken)
    {
        var options = oidc.Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        var address = options.MetadataAddress ?? "";
        if (address.Length == 0 || options.Backchannel is null)
        {
            return Task.FromResult(new DiscoveryProbeResult(address, null, "no discovery address (set Oidc:Authority or Oidc:MetadataAddress)"));
        }

        // The shared fetch runs on its own timeout, not a caller's token: a probe that gives up does
        // not fail the others waiting on the same fetch.
        return _fetches.RunAsync(address, () =>
        {
            _firstFetch.TrySetResult();
            return FetchAsync(options, address);
        }).WaitAsync(cancellationToken);
    }

    private static async Task<DiscoveryProbeResult> FetchAsync(OpenIdConnectOptions options, string address)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var retriever = new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata };
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, timeout.Token).ConfigureAwait(false);
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
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or OperationCanceledException)
        {
            // HttpDocumentRetriever wraps transport and status failures in IOException; a body that is
            // not a discovery document surfaces as ArgumentException or a JSON error (an InvalidOperation).
            return new(address, null, ex.Message);
        }
    }
}
