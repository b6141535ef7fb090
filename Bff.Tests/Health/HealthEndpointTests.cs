using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Health;

/// <summary>/health/live and /health/ready of the real app over HTTP.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ready_answers_200_when_the_database_and_discovery_answer()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority);

        using var ready = await bff.Client.GetAsync("/health/ready");
        using var live = await bff.Client.GetAsync("/health/live");

        Assert.True(ready.StatusCode == HttpStatusCode.OK, bff.Log.Dump());
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("no-cache", ready.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_ready_probes_shares_one_fetch_of_the_discovery_document()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority);

        // A slow provider: every probe of the burst arrives while the first fetch is still running.
        idp.Shape = _ => Thread.Sleep(TimeSpan.FromMilliseconds(500));
        var before = idp.Requests;
        var probes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => bff.Client.GetAsync("/health/ready")));

        Assert.All(probes, probe => Assert.Equal(HttpStatusCode.OK, probe.StatusCode));
        Assert.InRange(idp.Requests - before, 1, 3);
        foreach (var probe in probes)
        {
            probe.Dispose();
        }
    }

    [Fact]
    public async Task Ready_turns_503_while_the_identity_provider_is_away_but_live_stays_200()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority);
        using (var before = await bff.Client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await idp.StopAsync();

        using var ready = await bff.Client.GetAsync("/health/ready");
        using var live = await bff.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        // Only the status word: the discovery address and the reason go to the log, not to callers.
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Ready_answers_503_for_a_discovery_document_without_a_token_endpoint()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        idp.Shape = d => d.Remove("token_endpoint");
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority);

        using var ready = await bff.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Ready_reads_discovery_from_the_metadata_address_when_the_authority_is_another_host_name()
    {
        // compose.yml's split: the issuer names a host the server cannot reach (localhost:8080 in the
        // browser's world), discovery is read by the service name.
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        var unreachableIssuer = "http://issuer.invalid/realms/bff";
        idp.Shape = d => d["issuer"] = unreachableIssuer;
        await using var bff = await RunningBff.StartAsync(folder, unreachableIssuer, new Dictionary<string, string?>
        {
            ["Oidc:MetadataAddress"] = idp.Authority + "/.well-known/openid-configuration",
        });

        using var ready = await bff.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(idp.Requests > 0);
    }

    [Fact]
    public async Task Health_endpoints_need_no_session_and_no_csrf_header()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = bff.Address };

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Probes_run_no_authentication()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Debug",
        });

        using (var live = await bff.Client.GetAsync("/health/live"))
        using (var ready = await bff.Client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        // The probes neither built the sign-in machinery nor looked for a session cookie...
        Assert.DoesNotContain(bff.Log.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal));

        // ...which any other request does, and the log shows.
        using var user = await bff.Client.GetAsync("/bff/user");
        Assert.Contains(bff.Log.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal));
    }
}
