using Bff.DevIdp;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Tests.Login;

/// <summary>A DevIdp that advertises pushed authorization requests (RFC 9126), as Keycloak does (its default).</summary>
public sealed class PushedAuthorizationFixture : BffLoginFixture
{
    protected override DevIdpServerOptions Options()
    {
        var options = new DevIdpServerOptions();
        options.Configuration[DevIdpApplication.PushedAuthorizationKey] = "true";
        return options;
    }
}

/// <summary>A DevIdp without pushed authorization requests, as a provider that does not offer them.</summary>
public sealed class NoPushedAuthorizationFixture : BffLoginFixture
{
    protected override DevIdpServerOptions Options()
    {
        var options = new DevIdpServerOptions();
        options.Configuration[DevIdpApplication.PushedAuthorizationKey] = "false";
        return options;
    }
}

/// <summary>Against a provider without PAR the handler sends the whole authorization request through the browser.</summary>
public sealed class NoPushedAuthorizationTests(NoPushedAuthorizationFixture fixture) : IClassFixture<NoPushedAuthorizationFixture>
{
    [Fact]
    public async Task The_login_sends_the_authorization_request_through_the_browser_and_completes()
    {
        using var folder = new BffTempFolder();
        await using var bff = await fixture.StartBffAsync(folder);
        using var browser = new BrowserClient(bff.BaseAddress);

        using var challenge = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(bff.BaseAddress, "/bff/login?returnUrl=%2FProfile")), followRedirects: false);
        var query = QueryHelpers.ParseQuery(challenge.Headers.Location!.Query);
        Assert.False(query.ContainsKey("request_uri"));
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(0, fixture.Idp.PushedAuthorizationRequests);

        using var landed = await browser.SignInAsync(bff.BaseAddress, TestUsers.Alice.Username, TestUsers.Alice.Password);
        Assert.Equal(new Uri(bff.BaseAddress, "/Profile"), landed.RequestMessage!.RequestUri);
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

    [Fact]
    public async Task A_push_the_provider_refuses_is_a_readable_error_page_not_a_500()
    {
        // A BFF whose redirect URI the client does not register: the DevIdp refuses the push, as
        // Keycloak does ("Invalid parameter: redirect_uri").
        using var folder = new BffTempFolder();
        await using var unregistered = await BffHost.StartAsync(BffHost.Settings(folder, fixture.Authority));
        using var browser = new BrowserClient(unregistered.BaseAddress);

        using var login = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(unregistered.BaseAddress, "/bff/login?returnUrl=%2FProfile")), followRedirects: false);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/Error?error=login_failed", login.Headers.Location!.OriginalString);
        using var page = await browser.GetAsync(new Uri(unregistered.BaseAddress, login.Headers.Location.OriginalString));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.True((int)page.StatusCode < 500, $"The error page answered {(int)page.StatusCode}.");
    }

    [Fact]
    public async Task A_provider_that_stops_answering_after_discovery_is_the_unavailable_page_and_login_works_again_after()
    {
        using var browser = new BrowserClient(_bff.BaseAddress);
        using (var first = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(_bff.BaseAddress, "/bff/login?returnUrl=%2F")), followRedirects: false))
        {
            Assert.StartsWith(fixture.Authority.AbsoluteUri, first.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        }

        // Discovery is cached now; the push is the only call the login makes, and it fails.
        await fixture.Idp.StopAsync();
        try
        {
            using var login = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(_bff.BaseAddress, "/bff/login?returnUrl=%2F")), followRedirects: false);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal("/Error?error=idp_unavailable", login.Headers.Location!.OriginalString);
        }
        finally
        {
            await fixture.Idp.RestartAsync();
        }

        using var landed = await browser.SignInAsync(_bff.BaseAddress, TestUsers.Bob.Username, TestUsers.Bob.Password);
        Assert.Equal(new Uri(_bff.BaseAddress, "/Profile"), landed.RequestMessage!.RequestUri);
    }
}
