using System.Net;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Login;

/// <summary><c>Oidc:JwksUri</c> replaces the discovery document's <c>jwks_uri</c> for ID token signatures.</summary>
public sealed class JwksUriTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>
{
    private static Uri CertsOf(DevIdpServer idp) => new(idp.Authority("bff").AbsoluteUri + "/protocol/openid-connect/certs");

    [Fact]
    public async Task Keys_from_the_configured_JWKS_endpoint_validate_the_ID_token()
    {
        using var folder = new BffTempFolder();
        using var browser = new BrowserClient();
        await using var bff = await fixture.StartBffAsync(folder, new Dictionary<string, string?> { ["Oidc:JwksUri"] = CertsOf(fixture.Idp).AbsoluteUri });

        var page = await browser.SignInAsync(bff.BaseAddress, "bob", "bob-password");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/Profile", page.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Keys_from_another_JWKS_endpoint_refuse_the_ID_token_with_a_readable_page()
    {
        // A second DevIdp has its own signing keys: an ID token of the first does not verify with them,
        // so a successful login here would mean the discovery document's jwks_uri was used instead.
        await using var otherIdp = await DevIdpServer.StartAsync(new DevIdpServerOptions());
        using var folder = new BffTempFolder();
        using var browser = new BrowserClient();
        await using var bff = await fixture.StartBffAsync(folder, new Dictionary<string, string?> { ["Oidc:JwksUri"] = CertsOf(otherIdp).AbsoluteUri });

        var page = await browser.SignInAsync(bff.BaseAddress, "bob", "bob-password");

        Assert.Equal("/Error", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Null(browser.CookiesFor(bff.BaseAddress)["__Host-bff"]);
    }

    [Fact]
    public async Task An_unreachable_JWKS_endpoint_fails_the_login_naming_the_setting()
    {
        using var folder = new BffTempFolder();
        using var browser = new BrowserClient();
        await using var bff = await fixture.StartBffAsync(folder, new Dictionary<string, string?> { ["Oidc:JwksUri"] = "http://127.0.0.1:9/certs" });

        var page = await browser.GetAsync(new Uri(bff.BaseAddress, "/bff/login"));

        Assert.Equal("/Error", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Oidc:Authority", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
