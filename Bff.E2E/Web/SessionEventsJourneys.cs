using System.Diagnostics;
using Bff.E2E.Logout;
using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>
/// Live session events in a real Chromium: two tabs of one browser share a session, and the tab that
/// did nothing learns of the other's sign-out by its event stream (<c>/bff/events</c>), not by a call
/// of its own.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SessionEventsJourneys(BrowserFixture browser, BffSystemFixture fixture) : IClassFixture<BffSystemFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task Signing_out_in_one_tab_shows_the_signed_out_state_in_the_other_within_2_seconds()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async (context, first) =>
        {
            await LogoutJourneySteps.SignInToSpaAsync(first, System, alice);
            var second = await context.NewPageAsync();
            var otherTab = new SpaPage(second);
            await second.GotoAsync(System.Url("/app"));
            await otherTab.ExpectSignedInAsync(alice.Username);
            await Expect(second.Locator("body[data-session-watch=open]")).ToHaveCountAsync(1);

            var clock = Stopwatch.StartNew();
            await new SpaPage(first).LogoutLink.ClickAsync();
            await first.WaitForURLAsync(System.Url("/"));

            // The other tab made no request: only its event stream can have told it.
            await Expect(otherTab.SessionState).ToHaveTextAsync("Not signed in.", new() { Timeout = 2_000 });
            clock.Stop();
            await Expect(otherTab.Status).ToContainTextAsync("You signed out");
            await Expect(otherTab.LoginLink).ToBeVisibleAsync();
            await Expect(second.Locator("body[data-session-ended=logout]")).ToHaveCountAsync(1);
            Console.WriteLine($"Sign-out click to the other tab signed out: {clock.ElapsedMilliseconds} ms");
        });
    }
}
