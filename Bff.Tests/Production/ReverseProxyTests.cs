using System.Net;
using Bff.Tests.Health;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Tests.Production;

/// <summary>
/// docs/operations.md tells operators behind a TLS-terminating proxy to set
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>; this proves the app then builds its redirect URI
/// from <c>X-Forwarded-Proto</c>, and ignores that header otherwise (an attacker-sent header must
/// not change URLs when no proxy is declared).
/// </summary>
public sealed class ReverseProxyTests
{
    [Theory]
    [InlineData(true, "https")]
    [InlineData(false, "http")]
    public async Task The_redirect_uri_follows_X_Forwarded_Proto_only_when_forwarded_headers_are_enabled(bool enabled, string expectedScheme)
    {
        using var folder = new BffTempFolder();
        await using var idp = await DiscoveryStandIn.StartAsync();
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED reaches configuration as FORWARDEDHEADERS_ENABLED;
        // the command line puts it at the same key.
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority, new Dictionary<string, string?>
        {
            ["FORWARDEDHEADERS_ENABLED"] = enabled ? "true" : null,
        });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = bff.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/login?returnUrl=%2F");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        var redirectUri = new Uri(query["redirect_uri"].ToString());
        Assert.Equal(expectedScheme, redirectUri.Scheme);
        Assert.Equal(bff.Address.Authority, redirectUri.Authority);
        Assert.Equal("/signin-oidc", redirectUri.AbsolutePath);
    }
}
