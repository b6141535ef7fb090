using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using Bff.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>
/// The SPA's "Your sessions" list in a real Chromium: a user signed in from two browsers sees both,
/// and signing the other one out from the first ends it there at its next call.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SessionJourneys(BrowserFixture browser, BffSystemFixture fixture) : IClassFixture<BffSystemFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task Signed_in_from_two_browsers_the_SPA_lists_both_and_signs_the_other_out()
    {
        var bob = TestUsers.Bob;
        await Journey.RunAsync(browser, async page =>
        {
            // The other browser: its own context (its own cookie jar), signed in separately.
            await using var otherContext = await browser.Browser.NewContextAsync();
            otherContext.SetDefaultTimeout(Journey.DefaultTimeoutMs);
            var otherPage = await otherContext.NewPageAsync();
            await SignInAsync(otherPage, bob);

            var spa = new SpaPage(page);
            await SignInAsync(page, bob);
            await Expect(spa.Sessions).ToHaveCountAsync(2);
            await Expect(spa.CurrentSession).ToHaveCountAsync(1);
            await Expect(spa.CurrentSession).ToContainTextAsync("(this browser)");
            Assert.Equal(2, (await SessionsOfBobAsync()).Count);

            await spa.Sessions.Filter(new() { HasNotText = "(this browser)" }).Locator(".session-end").ClickAsync();
            await Expect(spa.Sessions).ToHaveCountAsync(1);
            await Expect(spa.EndOtherSessions).ToBeHiddenAsync();
            Assert.Single(await SessionsOfBobAsync());

            // The other browser still shows the page and makes no call: its session event stream says why.
            var other = new SpaPage(otherPage);
            await Expect(other.Status).ToContainTextAsync("signed out from another browser");
            await Expect(other.SessionState).ToHaveTextAsync("Not signed in.");

            // This browser is untouched.
            await page.ReloadAsync();
            await spa.ExpectSignedInAsync(bob.Username);
        });
    }

    [Fact]
    public async Task Sign_out_all_other_sessions_leaves_only_this_browser()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async page =>
        {
            var others = new List<IBrowserContext>();
            try
            {
                for (var i = 0; i < 2; i++)
                {
                    var context = await browser.Browser.NewContextAsync();
                    context.SetDefaultTimeout(Journey.DefaultTimeoutMs);
                    others.Add(context);
                    await SignInAsync(await context.NewPageAsync(), alice);
                }

                var spa = new SpaPage(page);
                await SignInAsync(page, alice);
                await Expect(spa.Sessions).ToHaveCountAsync(3);

                await spa.EndOtherSessions.ClickAsync();
                await Expect(spa.Status).ToContainTextAsync("Signed out 2 other sessions.");
                await Expect(spa.Sessions).ToHaveCountAsync(1);
                await Expect(spa.CurrentSession).ToHaveCountAsync(1);
            }
            finally
            {
                foreach (var context in others)
                {
                    await context.DisposeAsync();
                }
            }
        });
    }

    private async Task SignInAsync(IPage page, TestUser user)
    {
        await page.GotoAsync(System.Url("/bff/login?returnUrl=%2Fapp"));
        await new LoginPage(page).SubmitAsync(user.Username, user.Password);
        await page.WaitForURLAsync(System.Url("/app"));
        await new SpaPage(page).ExpectSignedInAsync(user.Username);
    }

    private Task<IReadOnlyList<ServerSession>> SessionsOfBobAsync() =>
        System.App.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: TestUsers.Bob.Id));
}
