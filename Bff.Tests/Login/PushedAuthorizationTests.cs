using Bff.DevIdp;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Tests.Login;

/// <summary>A DevIdp that advertises pushed authorization requests (RFC 9126), as Keycloak does.</summary>
public sealed class PushedAuthorizationFixture : BffLoginFixture
{
    protected override DevIdpServerOptions Options()
    {
        var options = new DevIdpServerOptions();
        options.Configuration[DevIdpApplication.PushedAuthorizationKey] = "true";
        return options;
    }
}

/// <summary>
/// Keycloak advertises a pushed authorization request endpoint, and ASP.NET's OpenID Connect handler
/// then pushes the authorization request over the back channel: the browser's redirect carries only
/// a request_uri, never the PKCE challenge, state or nonce. A BFF login must work that way.
/// </summary>
public sealed class PushedAuthorizationTests(PushedAuthorizationFixture fixture) : IClassFixture<PushedAuthorizationFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private BffHost _bff = null!;

    public async Task InitializeAsync() => _bff = await fixture.StartBffAsync(_folder);

    public async Task DisposeAsync()
    {
        await _bff.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_login_pushes_its_authorization_request_and_completes()
    {
        using var browser = new BrowserClient(_bff.BaseAddress);
        var before = fixture.Idp.PushedAuthorizationRequests;

        using var challenge = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(_bff.BaseAddress, "/bff/login?returnUrl=%2FProfile")), followRedirects: false);
        var query = QueryHelpers.ParseQuery(challenge.Headers.Location!.Query);
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", query["request_uri"].ToString(), StringComparison.Ordinal);
        Assert.False(query.ContainsKey("code_challenge"));
        Assert.False(query.ContainsKey("state"));
        Assert.Equal(before + 1, fixture.Idp.PushedAuthorizationRequests);

        using var landed = await browser.SignInAsync(_bff.BaseAddress, TestUsers.Alice.Username, TestUsers.Alice.Password);

        Assert.Equal(new Uri(_bff.BaseAddress, "/Profile"), landed.RequestMessage!.RequestUri);
        Assert.Contains("<td id=\"username\">alice</td>", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await _bff.SessionsOfAsync(TestUsers.Alice.Id));
    }
}
