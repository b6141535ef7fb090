using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Login;

/// <summary>
/// <c>/bff/login?prompt=none</c>: the identity provider answers without a page; with its SSO session the
/// browser comes back signed in, without one it comes back to the returnUrl with <c>bff_login=</c>, never
/// to the error page. Over PAR, as the BFF talks to Keycloak.
/// </summary>
public sealed class SilentSignInTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Without_an_sso_session_the_browser_returns_to_the_return_url_with_login_required()
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);
        var pushedBefore = rig.Idp.PushedAuthorizationRequests;

        var landed = await browser.GetAsync("/bff/login?prompt=none&returnUrl=%2Fapp%3Fview%3Dnotes%23top");

        Assert.Equal("/app", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("?view=notes&bff_login=login_required", landed.RequestMessage.RequestUri.Query);
        Assert.False(await KeycloakLoginForm.IsLoginPageAsync(landed));
        Assert.Equal("none", rig.Idp.LastAuthorizationRequest["prompt"]);
        Assert.True(rig.Idp.PushedAuthorizationRequests > pushedBefore, "the silent request went through PAR");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task With_a_live_sso_session_the_browser_comes_back_signed_in()
    {
        using var browser = await rig.SignInAsync("alice");

        // The BFF session goes (as after an expiry or a back-channel logout), the Keycloak SSO session lives on.
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        await rig.Sessions.DeleteAsync(session.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);

        var landed = await browser.GetAsync("/bff/login?prompt=none&returnUrl=%2Fapp");

        Assert.Equal("/app", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("", landed.RequestMessage.RequestUri.Query);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task After_a_local_logout_silent_sign_in_answers_login_required_until_an_interactive_sign_in()
    {
        using var browser = await rig.SignInAsync("alice");
        var user = System.Text.Json.JsonDocument.Parse(await (await browser.GetApiAsync("/bff/user")).Content.ReadAsStringAsync()).RootElement;
        var logoutUrl = user.EnumerateArray().Single(c => c.GetProperty("type").GetString() == "bff:logout_url").GetProperty("value").GetString()!;
        await browser.GetAsync(logoutUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);

        // Local logout mode: Keycloak's SSO session lives on, yet the logout is not undone silently.
        var silent = await browser.GetAsync("/bff/login?prompt=none&returnUrl=%2Fapp");
        Assert.Equal("?bff_login=login_required", silent.RequestMessage!.RequestUri!.Query);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);

        // An interactive sign-in (here through the SSO session) lifts that; silent sign-in works again.
        var again = await browser.GetAsync("/bff/login?returnUrl=%2Fapp");
        Assert.Equal("/app", again.RequestMessage!.RequestUri!.AbsolutePath);
        await rig.Sessions.DeleteAsync((await rig.SessionOfAsync(TestUsers.Alice.Id)).Key);
        var silentAgain = await browser.GetAsync("/bff/login?prompt=none&returnUrl=%2Fapp");
        Assert.Equal("", silentAgain.RequestMessage!.RequestUri!.Query);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }
}
