using System.Net;
using System.Text.Json;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Login;

/// <summary>
/// Step-up against a realm without a step-up flow (the stock realm with its LoA-conditional browser flow and its
/// acr.loa.map taken out: Keycloak's default flows). Keycloak then ignores <c>acr_values=2</c> and, with the SSO
/// session standing, answers at once with acr 1.
/// The BFF refuses that answer with the readable <c>step_up_failed</c> page instead of taking it (a page needing
/// level 2 would send the browser straight back), and the session it was to replace lives on untouched.
/// </summary>
public sealed class StepUpWithoutFlowTests : IAsyncLifetime
{
    // What the realm file adds to Keycloak's defaults for its step-up flow.
    private static readonly string[] StepUpKeys = ["attributes", "browserFlow", "authenticationFlows", "authenticatorConfig"];

    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        idpOptions: options => options.RealmsPath = RealmFiles.WriteEditedCopy(realm =>
        {
            foreach (var stepUp in StepUpKeys)
            {
                realm.Remove(stepUp);
            }
        }));

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task A_step_up_answered_at_a_lower_level_is_refused_with_a_page_and_the_old_session_lives_on()
    {
        using var browser = await rig.SignInAsync("alice");
        var before = await rig.SessionOfAsync(TestUsers.Alice.Id);
        var codeRedemptionsBefore = rig.Idp.TokenRequests("authorization_code");

        var landed = await browser.GetAsync("/bff/login?acr_values=2&returnUrl=%2FSecurity");

        // The provider was asked for level 2 and answered (one code redeemed, no second round trip).
        Assert.Equal("2", rig.Idp.LastAuthorizationRequest["acr_values"]);
        Assert.Equal(codeRedemptionsBefore + 1, rig.Idp.TokenRequests("authorization_code"));
        Assert.Equal("/Error", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("?error=step_up_failed", landed.RequestMessage.RequestUri.Query);
        Assert.Equal(HttpStatusCode.BadRequest, landed.StatusCode);
        var page = await landed.Content.ReadAsStringAsync();
        Assert.Contains("Stronger sign-in not completed", page, StringComparison.Ordinal);
        Assert.Contains("You are still signed in as before.", page, StringComparison.Ordinal);

        // The old session: same key, still the only one, still at acr 1 and usable.
        var sessions = await rig.Sessions.FindAsync(new Bff.Sessions.SessionFilter(Subject: TestUsers.Alice.Id));
        Assert.Equal(before.Key, Assert.Single(sessions).Key);
        var user = await browser.GetApiAsync("/bff/user");
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        var claims = JsonDocument.Parse(await user.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("1", claims.EnumerateArray().Single(c => c.GetProperty("type").GetString() == "acr").GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/api/remote/whoami")).StatusCode);

        // The page needing level 2 still asks for the step-up; it does not loop by itself.
        var security = await browser.GetAsync("/Security", followRedirects: false);
        Assert.Equal(HttpStatusCode.Redirect, security.StatusCode);
        Assert.Equal("/bff/login?acr_values=2&returnUrl=%2FSecurity", security.Headers.Location!.OriginalString);
    }
}
