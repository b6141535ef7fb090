using Bff.DevIdp.Login;
using Bff.E2E.Logout;
using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>
/// Step-up from the SPA in a real Chromium, against the realm's step-up flow: a password session asks for the
/// sensitive action (<c>/api/security</c>, level 2), the SPA reads the 401's <c>bff:required_acr</c> and offers
/// the stronger sign-in, the DevIdp asks only for the one-time code, and back in the SPA the action runs and
/// succeeds for the same user in the same Keycloak session.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class StepUpJourneys(BrowserFixture browser, BffSystemFixture fixture) : IClassFixture<BffSystemFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task A_sensitive_action_in_the_SPA_steps_up_with_the_one_time_code_and_then_succeeds_for_the_same_user()
    {
        var bob = TestUsers.Bob;
        await Journey.RunAsync(browser, async page =>
        {
            var spa = new SpaPage(page);
            await LogoutJourneySteps.SignInToSpaAsync(page, System, bob);
            var before = await spa.UserClaimsAsync();
            Assert.Equal("1", before["acr"]);

            await spa.SecurityCall.ClickAsync();
            await Expect(spa.StepUpLink).ToBeVisibleAsync();
            await Expect(spa.StepUpLink).ToHaveAttributeAsync("href", "/bff/login?acr_values=2&returnUrl=%2Fapp");
            await Expect(spa.SecurityResult).ToHaveTextAsync("");
            await Expect(spa.SessionState).ToHaveTextAsync($"Signed in as {bob.Username}");

            // The SSO session stands for the password: only the code is asked.
            await spa.StepUpLink.ClickAsync();
            var codePage = new OneTimeCodePage(page);
            await Expect(codePage.Form).ToBeVisibleAsync();
            await Expect(new LoginPage(page).Form).ToHaveCountAsync(0);
            await codePage.SubmitAsync(DevIdpTotp.Code(TestUsers.BobOtpSecret, DateTimeOffset.UtcNow));

            // Back in the SPA, the action it was asked for runs again, now at level 2.
            await page.WaitForURLAsync(System.Url("/app"));
            await Expect(spa.SecurityResult).ToContainTextAsync("\"acr\": \"2\"");
            await Expect(spa.SecurityResult).ToContainTextAsync($"\"userId\": \"{before["bff_user_id"]}\"");
            await Expect(page.Locator("#step-up")).ToBeHiddenAsync();

            var after = await spa.UserClaimsAsync();
            Assert.Equal("2", after["acr"]);
            Assert.Equal(before["bff_user_id"], after["bff_user_id"]);
            Assert.Equal(before["sub"], after["sub"]);
            Assert.Equal(before["sid"], after["sid"]);

            // The session it replaced ended: the sessions list shows this browser's one.
            await Expect(spa.Sessions).ToHaveCountAsync(1);
            await Expect(spa.CurrentSession).ToHaveCountAsync(1);

            // The action keeps working without another step-up.
            await spa.SecurityResult.EvaluateAsync("e => e.textContent = ''");
            await spa.SecurityCall.ClickAsync();
            await Expect(spa.SecurityResult).ToContainTextAsync("\"acr\": \"2\"");
        });
    }
}
