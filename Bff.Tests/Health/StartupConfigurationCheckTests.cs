using Bff.Tests.TestInfra;
using Microsoft.Extensions.Logging;

namespace Bff.Tests.Health;

/// <summary>
/// The start-up configuration check of the real app: once started, it reads the identity
/// provider's discovery document and logs a warning naming the setting for each mismatch.
/// </summary>
public sealed class StartupConfigurationCheckTests
{
    private const string Category = "Bff.Health.Internal.StartupConfigurationCheck";

    [Fact]
    public async Task Keycloak_logout_without_an_end_session_endpoint_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        idp.Shape = d => d.Remove("end_session_endpoint");

        var warnings = await WarningsAsync(idp, "Development", new() { ["Bff:LogoutMode"] = "Keycloak" });

        Assert.Contains(warnings, w => w.Contains("Bff:LogoutMode", StringComparison.Ordinal) && w.Contains("end_session_endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Local_logout_needs_no_end_session_endpoint()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        idp.Shape = d => d.Remove("end_session_endpoint");

        var warnings = await WarningsAsync(idp, "Development", new() { ["Bff:LogoutMode"] = "Local" });

        Assert.Empty(warnings);
    }

    [Fact]
    public async Task Plain_http_metadata_outside_development_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();

        var warnings = await WarningsAsync(idp, "Production", new() { ["Oidc:RequireHttpsMetadata"] = "false" });

        Assert.Contains(warnings, w => w.Contains("Oidc:RequireHttpsMetadata", StringComparison.Ordinal) && w.Contains("Production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_issuer_other_than_the_authority_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        idp.Shape = d => d["issuer"] = "http://localhost:8080/realms/bff";

        var warnings = await WarningsAsync(idp, "Development");

        var warning = Assert.Single(warnings);
        Assert.Contains("Oidc:Authority", warning, StringComparison.Ordinal);
        Assert.Contains("http://localhost:8080/realms/bff", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_without_backchannel_logout_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        idp.Shape = d => d.Remove("backchannel_logout_supported");

        var warnings = await WarningsAsync(idp, "Development");

        Assert.Contains(warnings, w => w.Contains("backchannel_logout_supported", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_provider_is_warned_about_and_the_app_still_starts()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        var authority = idp.Authority;
        await idp.StopAsync();
        using var folder = new BffTempFolder();

        await using var bff = await RunningBff.StartAsync(folder, authority, environment: "Development");
        var warning = await bff.Log.WaitForAsync(e => e.Category == Category && e.Level == LogLevel.Warning);

        Assert.Contains("Oidc:Authority", warning.Message, StringComparison.Ordinal);
        Assert.Contains("logins fail", warning.Message, StringComparison.Ordinal);
        using var live = await bff.Client.GetAsync("/health/live");
        Assert.True(live.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_registered_backchannel_URL_that_reaches_a_BFF_endpoint_passes()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();

        var warnings = await WarningsAsync(idp, "Development", new() { ["Bff:StartupCheck:BackchannelUrl"] = idp.BaseAddress + "bff/backchannel" });

        Assert.Empty(warnings);
    }

    [Fact]
    public async Task A_registered_backchannel_URL_that_answers_404_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();

        var warnings = await WarningsAsync(idp, "Development", new() { ["Bff:StartupCheck:BackchannelUrl"] = idp.BaseAddress + "wrong/path" });

        var warning = Assert.Single(warnings);
        Assert.Contains("Bff:StartupCheck:BackchannelUrl", warning, StringComparison.Ordinal);
        Assert.Contains("404", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_backchannel_URL_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var gone = await DiscoveryStandIn.StartAsync();
        var unreachable = gone.BaseAddress + "bff/backchannel";
        await gone.StopAsync();

        var warnings = await WarningsAsync(idp, "Development", new() { ["Bff:StartupCheck:BackchannelUrl"] = unreachable });

        var warning = Assert.Single(warnings);
        Assert.Contains("cannot be reached", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_without_a_public_origin_or_allowed_hosts_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();

        var unset = await WarningsAsync(idp, "Production", new() { ["AllowedHosts"] = "*" });
        var origin = await WarningsAsync(idp, "Production", new() { ["Bff:PublicOrigin"] = "https://app.example.test" });
        var hosts = await WarningsAsync(idp, "Production", new() { ["AllowedHosts"] = "app.example.test" });

        Assert.Contains(unset, w => w.Contains("Bff:PublicOrigin", StringComparison.Ordinal) && w.Contains("AllowedHosts", StringComparison.Ordinal));
        Assert.DoesNotContain(origin, w => w.Contains("Bff:PublicOrigin", StringComparison.Ordinal));
        Assert.DoesNotContain(hosts, w => w.Contains("Bff:PublicOrigin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_matching_configuration_logs_no_warning()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();

        var warnings = await WarningsAsync(idp, "Development", new() { ["Bff:LogoutMode"] = "Keycloak" });

        Assert.Empty(warnings);
    }

    [Fact]
    public async Task An_end_session_endpoint_on_another_origin_than_the_authority_is_warned_about()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        idp.Shape = d => d["end_session_endpoint"] = "https://logout.example.test/realms/bff/protocol/openid-connect/logout";

        var warnings = await WarningsAsync(idp, "Development", new() { ["Bff:LogoutMode"] = "Keycloak" });

        var warning = Assert.Single(warnings);
        Assert.Contains("Bff:SecurityHeaders:FormActionOrigins", warning, StringComparison.Ordinal);
        Assert.Contains("https://logout.example.test/realms/bff/protocol/openid-connect/logout", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_end_session_endpoint_on_a_configured_form_action_origin_passes()
    {
        await using var idp = await DiscoveryStandIn.StartAsync();
        idp.Shape = d => d["end_session_endpoint"] = "https://logout.example.test/realms/bff/protocol/openid-connect/logout";

        var warnings = await WarningsAsync(idp, "Development", new()
        {
            ["Bff:LogoutMode"] = "Keycloak",
            ["Bff:SecurityHeaders:FormActionOrigins:0"] = "https://logout.example.test",
        });

        Assert.Empty(warnings);
    }

    // The development default and every test run against the DevIdp: it must pass as Keycloak does
    // (it once advertised no back-channel logout, and the check warned about a provider that sends it).
    [Fact]
    public async Task The_DevIdp_passes_the_check_with_no_warning()
    {
        await using var idp = await DevIdpFixture.StartAsync();

        var warnings = await WarningsAsync(idp.Authority().AbsoluteUri, "Development", new() { ["Bff:LogoutMode"] = "Keycloak" });

        Assert.Empty(warnings);
    }

    [Fact]
    public async Task The_check_shares_the_first_readiness_probes_fetch_of_the_discovery_document()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority, new Dictionary<string, string?> { ["Oidc:RequireHttpsMetadata"] = "false" });

        // A check that fetched the document on its own at start (as it once did) is left to finish
        // first; then a load balancer's first probe, a moment after the app listens.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (idp.Requests == 0 && clock.Elapsed < TimeSpan.FromMilliseconds(800))
        {
            await Task.Delay(20);
        }

        if (idp.Requests > 0)
        {
            await bff.Log.WaitForAsync(e => e.Category == Category && e.Message.Contains("finished with", StringComparison.Ordinal));
        }

        using (var ready = await bff.Client.GetAsync("/health/ready"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        }

        await bff.Log.WaitForAsync(e => e.Category == Category && e.Message.Contains("finished with", StringComparison.Ordinal));
        Assert.Equal(1, idp.Requests);
    }

    /// <summary>Starts the app, waits for the check to finish, returns its warnings.</summary>
    private static Task<IReadOnlyList<string>> WarningsAsync(DiscoveryStandIn idp, string environment, Dictionary<string, string?>? overrides = null) =>
        WarningsAsync(idp.Authority, environment, overrides);

    private static async Task<IReadOnlyList<string>> WarningsAsync(string authority, string environment, Dictionary<string, string?>? overrides = null)
    {
        using var folder = new BffTempFolder();
        overrides ??= [];
        overrides.TryAdd("Oidc:RequireHttpsMetadata", "false");
        await using var bff = await RunningBff.StartAsync(folder, authority, overrides, environment);

        // The check always ends with its "finished" line, after every warning.
        await bff.Log.WaitForAsync(e => e.Category == Category && e.Message.Contains("finished with", StringComparison.Ordinal));
        return [.. bff.Log.Entries.Where(e => e.Category == Category && e.Level == LogLevel.Warning).Select(e => e.Message)];
    }
}
