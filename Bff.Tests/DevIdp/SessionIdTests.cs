using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

/// <summary>
/// The DevIdp's <c>sid</c> is public (the BFF shows it to page script in <c>/bff/user</c> and in
/// <c>bff:logout_url</c>), so it must not be the SSO cookie's value, which alone proves the session.
/// </summary>
public sealed class SessionIdTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task A_sid_seen_by_page_script_set_as_the_SSO_cookie_does_not_sign_a_fresh_browser_in()
    {
        using var alice = await rig.SignInAsync("alice");
        var claims = await (await alice.GetApiAsync("/bff/user")).Content.ReadFromJsonAsync<JsonElement>();
        var sid = claims.EnumerateArray().Single(c => c.GetProperty("type").GetString() == "sid").GetProperty("value").GetString()!;
        var ssoCookie = alice.GetCookie(new Uri(rig.Idp.Authority().AbsoluteUri + "/"), DevIdpServer.SessionCookieName);
        Assert.False(string.IsNullOrEmpty(ssoCookie));
        Assert.NotEqual(sid, ssoCookie);

        using var attacker = new BrowserClient(rig.Bff.BaseAddress);
        attacker.Cookies.Add(LoopbackCookieHandler.JarUri(rig.Idp.BaseAddress), new Cookie(DevIdpServer.SessionCookieName, sid, "/realms/bff/"));
        var landed = await attacker.GetAsync("/bff/login?returnUrl=%2Fapp");

        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(landed), $"The forged cookie signed the browser in: it landed on {landed.RequestMessage!.RequestUri}.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task The_real_SSO_cookie_still_signs_the_browser_in_silently_and_the_sid_is_kept()
    {
        using var alice = await rig.SignInAsync("alice");
        var first = await rig.SessionOfAsync(TestUsers.Alice.Id);
        await alice.GetAsync("/bff/logout?sid=" + Uri.EscapeDataString(first.SessionId!));

        var landed = await alice.GetAsync("/bff/login?returnUrl=%2Fapp");

        Assert.Equal("/app", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(first.SessionId, (await rig.SessionOfAsync(TestUsers.Alice.Id)).SessionId);
    }
}
