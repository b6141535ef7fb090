using System.Text.Json;
using Bff.Login;
using Bff.Logout;
using Bff.Security;
using Bff.Security.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Health.Internal;

/// <summary>A setting that will hurt later, with the configuration key to look at.</summary>
internal sealed record ConfigurationFinding(string Setting, string Problem);

/// <summary>
/// Once the app has started, compares the BFF's settings with the identity provider's discovery
/// document and logs a warning for each mismatch that would otherwise surface only at the first
/// logout or the first back-channel call. It never stops the app: options validation already
/// refused what is plainly wrong, and an identity provider that is down now may be up in a minute.
/// </summary>
internal sealed class StartupConfigurationCheck(
    DiscoveryProbe probe,
    IOptions<BffOidcOptions> oidcOptions,
    IOptions<StartupCheckSettings> bffOptions,
    IOptions<BffStartupCheckOptions> checkOptions,
    IOptions<BffSecurityHeadersOptions> securityHeaders,
    IHttpClientFactory httpClients,
    IHostEnvironment environment,
    Microsoft.Extensions.Configuration.IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    ILogger<StartupConfigurationCheck> logger) : BackgroundService
{
    /// <summary>The named HttpClient the back-channel reachability check uses.</summary>
    public const string HttpClientName = "Bff.StartupCheck";

    /// <summary>How long the check waits for a readiness probe to fetch the discovery document before it fetches it itself.</summary>
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After start-up: a slow identity provider must never delay or block the app's start.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var (address, findings) = await CheckAsync(stoppingToken);
        foreach (var finding in findings)
        {
            HealthLog.ConfigurationWarning(logger, finding.Setting, finding.Problem);
        }

        HealthLog.ConfigurationChecked(logger, address, findings.Count);
    }

    /// <summary>Runs every check once.</summary>
    internal async Task<(string Address, IReadOnlyList<ConfigurationFinding> Findings)> CheckAsync(CancellationToken cancellationToken)
    {
        var oidc = oidcOptions.Value;
        var findings = new List<ConfigurationFinding>();
        if (oidc.RequireHttpsMetadata == false && !environment.IsDevelopment())
        {
            findings.Add(new("Oidc:RequireHttpsMetadata",
                $"is false in the {environment.EnvironmentName} environment: discovery and signing keys travel over plain http, " +
                "so anyone on that network path can swap the keys and forge tokens. Serve the identity provider over https."));
        }

        var allowedHosts = configuration["AllowedHosts"];
        if (!environment.IsDevelopment() && bffOptions.Value.PublicOrigin is null && (string.IsNullOrWhiteSpace(allowedHosts) || allowedHosts.Trim() == "*"))
        {
            findings.Add(new("Bff:PublicOrigin",
                "and AllowedHosts are both unset (or '*'): the redirect URI, the post-logout redirect URI and redirects are built from " +
                "whatever Host header a request carries. Set Bff:PublicOrigin to the origin people use, or AllowedHosts to its host name."));
        }

        if (checkOptions.Value.BackchannelUrl is { } backchannel && await CheckBackchannelAsync(backchannel, cancellationToken) is { } problem)
        {
            findings.Add(new("Bff:StartupCheck:BackchannelUrl", problem));
        }

        // A load balancer or orchestrator probes /health/ready as soon as the app listens, and that probe
        // fetches the discovery document anyway: the check waits a moment for it and shares its fetch
        // (one fetch at start instead of two, and none competing with the first probe on the way to
        // ready). Without a probe, the check fetches the document itself.
        await Task.WhenAny(probe.FirstFetchStarted, Task.Delay(ProbeWait, cancellationToken));
        var discovery = await probe.FetchAsync(cancellationToken);
        if (discovery.Configuration is not { } metadata || discovery.Error is not null)
        {
            findings.Add(new(oidc.MetadataAddress is null ? "Oidc:Authority" : "Oidc:MetadataAddress",
                $"the discovery document at {discovery.Address} is not usable ({discovery.Error}); logins fail until it is."));
            return (discovery.Address, findings);
        }

        if (!string.Equals(metadata.Issuer.TrimEnd('/'), oidc.Authority.TrimEnd('/'), StringComparison.Ordinal))
        {
            findings.Add(new("Oidc:Authority",
                $"is {oidc.Authority}, but the identity provider names its issuer {metadata.Issuer}. Tokens carry the issuer; " +
                "set Oidc:Authority to it and, if the server reaches the provider by another host name, set Oidc:MetadataAddress " +
                "(with Keycloak: KC_HOSTNAME and KC_HOSTNAME_BACKCHANNEL_DYNAMIC)."));
        }

        if (bffOptions.Value.LogoutMode == BffLogoutMode.Keycloak && string.IsNullOrEmpty(metadata.EndSessionEndpoint))
        {
            findings.Add(new("Bff:LogoutMode",
                "is Keycloak, but the identity provider advertises no end_session_endpoint: logout can end the BFF session only, " +
                "and the single sign-on session lives on. Use Local, or enable RP-initiated logout at the provider."));
        }

        if (!AdvertisesBackchannelLogout(metadata))
        {
            findings.Add(new("Oidc:Authority",
                "the identity provider does not advertise back-channel logout (backchannel_logout_supported): sessions it ends " +
                "stay alive in the BFF until they expire or their refresh fails."));
        }

        if (FormActionProblem(metadata) is { } formAction)
        {
            findings.Add(new($"{BffSecurityHeadersOptions.SectionName}:FormActionOrigins", formAction));
        }

        return (discovery.Address, findings);
    }

    // The sign-out form's post is redirected to the end_session_endpoint (and a form that starts a login
    // to the authorization endpoint); Chromium applies form-action to those redirects and blocks them
    // when the provider's origin is not in it.
    private string? FormActionProblem(OpenIdConnectConfiguration metadata)
    {
        var policy = FormActionSources.PolicyFor(securityHeaders.Value, oidcOptions.Value);
        if (FormActionSources.Find(policy) is not { } sources)
        {
            return null; // no Content-Security-Policy at all
        }

        var blocked = new[] { metadata.AuthorizationEndpoint, metadata.EndSessionEndpoint }
            .Where(endpoint => !string.IsNullOrEmpty(endpoint))
            .Where(endpoint => !Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || !FormActionSources.Allows(sources, url))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return blocked.Count == 0
            ? null
            : $"the identity provider's {string.Join(" and ", blocked)} is not on an origin the Content-Security-Policy's " +
              $"form-action allows ({string.Join(' ', sources)}): browsers will block the redirect after the sign-out form. " +
              "Add its origin to Bff:SecurityHeaders:FormActionOrigins (or to the form-action of " +
              "Bff:SecurityHeaders:ContentSecurityPolicy, when that sets its own).";
    }

    // An empty POST is what any BFF back-channel endpoint refuses with a 400 JSON error: that answer
    // proves the registered URL reaches one; a refused connection, a 404 or an HTML page does not.
    private async Task<string?> CheckBackchannelAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var empty = new FormUrlEncodedContent([]);
            using var response = await client.PostAsync(url, empty, cancellationToken);
            var json = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
            return response.StatusCode == System.Net.HttpStatusCode.BadRequest && json
                ? null
                : $"{url} answered {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}, not the BFF's back-channel " +
                  "endpoint (a 400 JSON error to an empty POST): logout at the identity provider will not end sessions here.";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"{url} cannot be reached from here ({ex.Message}): the identity provider's back-channel logout calls " +
                   "will most likely fail too, and sessions it ends will live on here.";
        }
    }

    // Not a typed property of OpenIdConnectConfiguration: it lands in AdditionalData, as a bool or a
    // JSON element depending on the IdentityModel version.
    private static bool AdvertisesBackchannelLogout(OpenIdConnectConfiguration metadata) =>
        metadata.AdditionalData.TryGetValue("backchannel_logout_supported", out var value) && value switch
        {
            bool b => b,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            string s => bool.TryParse(s, out var parsed) && parsed,
            _ => false,
        };
}
