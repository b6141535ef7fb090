using System.Net;
using Bff.Tests.Health;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Tests.Production;

/// <summary>
/// URLs the BFF sends must not follow a Host header a client chose: with <c>Bff:PublicOrigin</c> they are
/// built from it and other hosts get 400; forwarded headers count only from known proxies.
/// </summary>
public sealed class PublicOriginTests
{
    private static async Task<HttpResponseMessage> LoginAsync(RunningBff bff, string? host = null, string? forwardedProto = null)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = bff.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/login?returnUrl=%2F");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task With_a_public_origin_the_redirect_uri_comes_from_it_and_another_host_is_400()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority, new Dictionary<string, string?> { ["Bff:PublicOrigin"] = "https://app.example.test" });

        using var evil = await LoginAsync(bff, host: "evil.example");
        Assert.Equal(HttpStatusCode.BadRequest, evil.StatusCode);
        Assert.Null(evil.Headers.Location);

        using var good = await LoginAsync(bff, host: "app.example.test");
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var redirectUri = QueryHelpers.ParseQuery(good.Headers.Location!.Query)["redirect_uri"].ToString();
        Assert.Equal("https://app.example.test/signin-oidc", redirectUri);

        // Probes reach an instance by its own address.
        using var raw = new HttpClient { BaseAddress = bff.Address };
        Assert.Equal(HttpStatusCode.OK, (await raw.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_a_known_proxy()
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority, new Dictionary<string, string?>
        {
            ["FORWARDEDHEADERS_ENABLED"] = "true",
            ["Bff:ForwardedHeaders:KnownProxies:0"] = "10.9.9.9",
        });

        // The test connects from loopback, which is not the configured proxy.
        using var response = await LoginAsync(bff, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var redirectUri = new Uri(QueryHelpers.ParseQuery(response.Headers.Location!.Query)["redirect_uri"].ToString());
        Assert.Equal("http", redirectUri.Scheme);
    }
}
