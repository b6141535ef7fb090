using Bff.E2E.Logout;
using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>
/// An account action from the SPA in a real Chromium: "Change password" goes to the DevIdp's UPDATE_PASSWORD page
/// (Keycloak's application-initiated action) and back to the SPA, which shows the result; afterwards only the new
/// password signs in. Erin is the user only the account-action tests sign in as, and this class has its own DevIdp.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AccountJourneys(BrowserFixture browser, BffSystemFixture fixture) : IClassFixture<BffSystemFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task Changing_the_password_from_the_SPA_comes_back_with_success_and_only_the_new_password_signs_in()
    {
        var erin = TestUsers.Erin;
        const string newPassword = "erin-changed-password";
        await Journey.RunAsync(browser, async page =>
        {
            var spa = new SpaPage(page);
            await LogoutJourneySteps.SignInToSpaAsync(page, System, erin);

            await page.Locator("#change-password").ClickAsync();
            var update = new UpdatePasswordPage(page);
            await Expect(update.Form).ToBeVisibleAsync();
            await update.SubmitAsync(newPassword);

            await page.WaitForURLAsync(System.Url("/app"));
            await Expect(spa.Status).ToHaveTextAsync("Changing your password: done.");
            await spa.ExpectSignedInAsync(erin.Username);

            // Signed out of the app and of Keycloak, so the next sign-in needs a password.
            await page.Locator("#logout-link").ClickAsync();
            await page.WaitForURLAsync(System.Url("/"));
            await LogoutJourneySteps.AdminLogoutAsync(System, erin.Id);

            await page.GotoAsync(System.Url("/app"));
            await spa.LoginLink.ClickAsync();
            var login = new LoginPage(page);
            await login.SubmitAsync(erin.Username, erin.Password);
            await Expect(login.Error).ToHaveTextAsync("Invalid username or password.");

            await login.SubmitAsync(erin.Username, newPassword);
            await page.WaitForURLAsync(System.Url("/app"));
            await spa.ExpectSignedInAsync(erin.Username);
        });
    }
}
