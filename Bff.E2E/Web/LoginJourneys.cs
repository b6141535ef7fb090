using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using Bff.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>
/// Sign-in in a real Chromium: a person opens a protected page of Bff.Web, signs in through the
/// identity provider's form on another site, lands back where they started, and the browser holds
/// one HttpOnly cookie and no token anywhere a script or a response could show it.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class LoginJourneys(BrowserFixture browser, BffSystemFixture fixture) : IClassFixture<BffSystemFixture>
{
    private BffSystem Stack => fixture.System;

    [Fact]
    public async Task Signing_in_from_a_protected_page_lands_back_on_it_holding_only_an_HttpOnly_cookie()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async (context, page) =>
        {
            var evidence = BrowserEvidence.Record(page, Stack.Address);

            await page.GotoAsync(Stack.Url("/Profile"));
            var login = new LoginPage(page);
            await login.ExpectShownAsync();
            // The form is the identity provider's, on another site (localhost vs 127.0.0.1).
            Assert.StartsWith(Stack.Authority.GetLeftPart(UriPartial.Authority), page.Url, StringComparison.Ordinal);
            await login.SubmitAsync(alice.Username, alice.Password);

            // Back where the journey started, signed in: the session cookie survived the cross-site
            // form_post and redirect back (a Strict cookie would loop here).
            await page.WaitForURLAsync(Stack.Url("/Profile"));
            var profile = new ProfilePage(page);
            await Expect(profile.Username).ToHaveTextAsync(alice.Username);
            await Expect(profile.FirstName).ToHaveTextAsync(alice.FirstName);
            await Expect(profile.LastName).ToHaveTextAsync(alice.LastName);
            await Expect(profile.SignedInUser).ToHaveTextAsync(alice.Username);

            var cookies = await context.CookiesAsync([Stack.Address.ToString()]);
            var session = Assert.Single(cookies, c => c.Name == "__Host-bff");
            Assert.True(session.HttpOnly, "the session cookie is readable by scripts");
            Assert.True(session.Secure);
            Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
            Assert.Equal("/", session.Path);
            Assert.Equal(Stack.Address.Host, session.Domain); // host-only, as __Host- requires
            Assert.InRange(session.Value.Length, 1, 1023);
            Assert.All(cookies, c => Assert.True(c.HttpOnly, $"cookie {c.Name} is readable by scripts"));

            var tokens = await TokensOfAsync(alice);
            await evidence.AssertNoTokenReachedTheBrowserAsync(context, page, tokens);
        });
    }

    [Fact]
    public async Task A_link_from_another_site_arrives_signed_in()
    {
        // People reach the app from mail and other sites' links: the session cookie must be sent
        // on such a top-level navigation (SameSite=Lax; Strict would show them signed out).
        var bob = TestUsers.Bob;
        await using var elsewhere = await LoopbackSite.StartAsync(
            app => app.MapGet("/", () => Results.Content($"<!doctype html><a id=\"to-app\" href=\"{Stack.Url("/Profile")}\">the app</a>", "text/html")),
            host: "localhost");
        await Journey.RunAsync(browser, async (context, page) =>
        {
            await page.GotoAsync(Stack.Url("/Profile"));
            await new LoginPage(page).SubmitAsync(bob.Username, bob.Password);
            await page.WaitForURLAsync(Stack.Url("/Profile"));

            await page.GotoAsync(elsewhere.BaseAddress.ToString());
            await page.ClickAsync("#to-app");

            await page.WaitForURLAsync(Stack.Url("/Profile"));
            await Expect(new ProfilePage(page).Username).ToHaveTextAsync(bob.Username);
        });
    }

    private async Task<IReadOnlyCollection<string>> TokensOfAsync(TestUser user)
    {
        var sessions = await Stack.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: user.Id));
        return [.. sessions.SelectMany(s => new[] { s.Tokens?.AccessToken, s.Tokens?.RefreshToken, s.Tokens?.IdToken }).OfType<string>()];
    }
}
