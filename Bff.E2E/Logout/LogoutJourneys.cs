using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Logout;

/// <summary>A <see cref="BffSystem"/> with <c>Bff:LogoutMode=Keycloak</c>.</summary>
public sealed class KeycloakLogoutFixture() : BffSystemFixture(null, new Dictionary<string, string?> { ["Bff:LogoutMode"] = "Keycloak" });

/// <summary>
/// Logout in a real Chromium, judged by what the identity provider does next: after a local logout it
/// signs the browser in again without its form; after a Keycloak logout it asks for the password.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class LocalLogoutJourneys(BrowserFixture browser, BffSystemFixture fixture) : IClassFixture<BffSystemFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task Local_logout_from_the_SPA_then_signing_in_again_needs_no_password()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async page =>
        {
            var spa = new SpaPage(page);
            await LogoutJourneySteps.SignInToSpaAsync(page, System, alice);

            // The SPA's logout link carries the session's sid (from /bff/user).
            await Expect(page.Locator("#logout-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/bff/logout\?sid=.+"));
            await page.Locator("#logout-link").ClickAsync();
            await page.WaitForURLAsync(System.Url("/"));
            await Expect(page.Locator("#signed-in-user")).ToHaveCountAsync(0);

            await page.GotoAsync(System.Url("/app"));
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");

            // The SSO session at the DevIdp lives on: the login completes by itself, no form in between
            // (the form waits for a person; had it been shown, /app would never be reached).
            await spa.LoginLink.ClickAsync();
            await page.WaitForURLAsync(System.Url("/app"));
            await spa.ExpectSignedInAsync(alice.Username);
            await Expect(new LoginPage(page).Form).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task An_administrator_ends_the_users_sessions_at_the_DevIdp_and_the_open_SPA_shows_it_at_once()
    {
        var bob = TestUsers.Bob;
        await Journey.RunAsync(browser, async page =>
        {
            var spa = new SpaPage(page);
            await LogoutJourneySteps.SignInToSpaAsync(page, System, bob);
            await spa.CallRemoteAsync();
            await Expect(spa.RemoteResult).ToContainTextAsync("\"bob\"");

            // The administrator, elsewhere: Keycloak's admin API ends Bob's sessions, and the DevIdp
            // tells the BFF over the back channel.
            await LogoutJourneySteps.AdminLogoutAsync(System, TestUsers.Bob.Id);

            // The page is still open and makes no call: its session event stream tells it why.
            await Expect(spa.Status).ToContainTextAsync("ended at the identity provider");
            await Expect(spa.LoginLink).ToBeVisibleAsync();
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
        });
    }
}

/// <summary>Keycloak logout in a real Chromium: the SSO session ends too, so the next login shows the form.</summary>
[Collection(BrowserGroup.Name)]
public sealed class KeycloakLogoutJourneys(BrowserFixture browser, KeycloakLogoutFixture fixture) : IClassFixture<KeycloakLogoutFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task Keycloak_logout_from_the_pages_sign_out_button_then_the_login_form_is_shown()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async page =>
        {
            await page.GotoAsync(System.Url("/Profile"));
            await new LoginPage(page).SubmitAsync(alice.Username, alice.Password);
            await page.WaitForURLAsync(System.Url("/Profile"));
            await Expect(new ProfilePage(page).SignedInUser).ToHaveTextAsync(alice.Username);

            // The layout's button posts the form (antiforgery token included); the browser goes to the
            // DevIdp's end_session_endpoint and comes back through /signout-callback-oidc.
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(System.Url("/"));
            await Expect(page.Locator("#signed-in-user")).ToHaveCountAsync(0);

            await page.Locator("#login").ClickAsync();
            await new LoginPage(page).ExpectShownAsync();
        });
    }
}

/// <summary>Steps the logout journeys share.</summary>
internal static class LogoutJourneySteps
{
    public static async Task SignInToSpaAsync(IPage page, BffSystem system, TestUser user)
    {
        var spa = new SpaPage(page);
        await page.GotoAsync(system.Url("/app"));
        await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
        await spa.LoginLink.ClickAsync();
        await new LoginPage(page).SubmitAsync(user.Username, user.Password);
        await page.WaitForURLAsync(system.Url("/app"));
        await spa.ExpectSignedInAsync(user.Username);
    }

    /// <summary>POST /admin/realms/bff/users/{id}/logout with the admin tool's service-account token, as an operator would.</summary>
    public static Task AdminLogoutAsync(BffSystem system, string userId) =>
        KeycloakSessions.EndUserSessionsAsync(system.Authority, TestClients.AdminTool, userId);
}
