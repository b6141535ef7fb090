using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Login;

/// <summary>
/// Signing in again in a browser that still has a session replaces that session; the old one must
/// end the way logout ends it, refresh token revoked at the identity provider, not just be deleted.
/// </summary>
public sealed class SignInAgainTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Signing_in_again_in_the_same_browser_revokes_the_old_session_s_refresh_token()
    {
        using var browser = await rig.SignInAsync("alice");
        var old = await rig.SessionOfAsync(TestUsers.Alice.Id);
        var oldRefreshToken = old.Tokens!.RefreshToken!;

        // The DevIdp's SSO session signs the browser in again without the form.
        var landed = await browser.GetAsync("/bff/login?returnUrl=%2Fapp");
        Assert.Equal("/app", landed.RequestMessage!.RequestUri!.AbsolutePath);

        var current = await rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.NotEqual(old.Key, current.Key);
        Assert.Null(await rig.Sessions.GetAsync(old.Key));
        Assert.Single(await rig.Sessions.FindAsync(new Bff.Sessions.SessionFilter(Subject: TestUsers.Alice.Id)));

        using var http = new HttpClient();
        var refresh = await http.PostAsync(new Uri(rig.Idp.Authority().AbsoluteUri + "/protocol/openid-connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "bff",
            ["client_secret"] = "bff-dev-secret",
            ["refresh_token"] = oldRefreshToken,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Contains("invalid_grant", await refresh.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The new session still works.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }
}
