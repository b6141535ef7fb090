using Bff.E2E.Logout;
using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>
/// Silent sign-in in a real Chromium: the SPA, signed out on start, asks the identity provider once without a
/// page (<c>/bff/login?prompt=none</c>). A live SSO session signs the browser in without the login form; none
/// brings the SPA back signed out with <c>bff_login=login_required</c>; after an explicit logout it does not
/// sign back in by itself.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SilentSignInJourneys(BrowserFixture browser, BffSystemFixture fixture) : IClassFixture<BffSystemFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task A_browser_with_a_live_SSO_session_but_no_BFF_cookie_opens_the_SPA_signed_in_without_the_login_form()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async (context, page) =>
        {
            var spa = new SpaPage(page);
            await LogoutJourneySteps.SignInToSpaAsync(page, System, alice);
            var before = await spa.UserClaimsAsync();

            // The BFF's cookie goes (a browser that kept only the identity provider's cookie); the DevIdp's SSO cookie stays.
            await context.ClearCookiesAsync(new BrowserContextClearCookiesOptions { Name = "__Host-bff" });
            Assert.Contains(await context.CookiesAsync(), c => c.Domain == System.Authority.Host);
            var navigations = NavigationLog.Record(page);

            await page.GotoAsync(System.Url("/app"));

            await spa.ExpectSignedInAsync(alice.Username);
            await Expect(page).ToHaveURLAsync(System.Url("/app"));
            AssertOneSilentRoundTrip(navigations);
            Assert.DoesNotContain(navigations.Urls, u => u.AbsolutePath.StartsWith("/Error", StringComparison.Ordinal));
            await Expect(new LoginPage(page).Form).ToHaveCountAsync(0);

            // A new session of the same user, in the same Keycloak session.
            var after = await spa.UserClaimsAsync();
            Assert.Equal(before["bff_user_id"], after["bff_user_id"]);
            Assert.Equal(before["sid"], after["sid"]);
        });
    }

    [Fact]
    public async Task A_fresh_browser_opens_the_SPA_signed_out_with_login_required_and_no_page_in_between()
    {
        await Journey.RunAsync(browser, async page =>
        {
            var spa = new SpaPage(page);
            var navigations = NavigationLog.Record(page);

            await page.GotoAsync(System.Url("/app"));

            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            await Expect(spa.SessionState).ToHaveAttributeAsync("data-silent-sign-in", "login_required");
            await Expect(spa.LoginLink).ToBeVisibleAsync();
            await Expect(spa.Status).ToBeHiddenAsync();

            // One silent round trip to the provider, then back to the SPA, which took the result out of the address bar.
            AssertOneSilentRoundTrip(navigations);
            Assert.Contains(navigations.Urls, u => u.AbsolutePath == "/app" && u.Query == "?bff_login=login_required");
            Assert.DoesNotContain(navigations.Urls, u => u.AbsolutePath.StartsWith("/Error", StringComparison.Ordinal));
            await Expect(page).ToHaveURLAsync(System.Url("/app"));
            await Expect(new LoginPage(page).Form).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task After_an_explicit_logout_the_SPA_does_not_sign_back_in_silently()
    {
        var bob = TestUsers.Bob;
        await Journey.RunAsync(browser, async page =>
        {
            var spa = new SpaPage(page);
            await LogoutJourneySteps.SignInToSpaAsync(page, System, bob);
            await spa.LogoutLink.ClickAsync();
            await page.WaitForURLAsync(System.Url("/"));
            var navigations = NavigationLog.Record(page);

            await page.GotoAsync(System.Url("/app"));

            // The SSO session at the DevIdp lives on (local logout), yet the BFF answers the silent attempt itself.
            await Expect(spa.SessionState).ToHaveAttributeAsync("data-silent-sign-in", "login_required");
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            Assert.Single(navigations.Urls, IsSilentLogin);
            Assert.Empty(navigations.AuthorizationRequests(System.Authority));

            // Reloading does not try again in this tab, and still nobody is signed in.
            await page.ReloadAsync();
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            await Expect(spa.SessionState).ToHaveAttributeAsync("data-silent-sign-in", "not-tried");
            Assert.Empty(navigations.AuthorizationRequests(System.Authority));
        });
    }

    private static bool IsSilentLogin(Uri url) =>
        url.AbsolutePath == "/bff/login" && url.Query.Contains("prompt=none", StringComparison.Ordinal);

    // The SPA asked once, silently; the provider was visited once (the prompt travels in the pushed
    // authorization request, so the browser's URL there carries only its request_uri).
    private void AssertOneSilentRoundTrip(NavigationLog navigations)
    {
        Assert.Single(navigations.Urls, IsSilentLogin);
        Assert.Single(navigations.AuthorizationRequests(System.Authority));
        Assert.Equal("none", System.Idp.LastAuthorizationRequest["prompt"]);
    }
}
