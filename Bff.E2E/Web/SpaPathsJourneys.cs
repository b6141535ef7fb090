using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using Bff.Sessions;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>A <see cref="BffSystem"/> whose management endpoints are all off their default <c>/bff/...</c> paths.</summary>
public sealed class MovedEndpointsFixture() : BffSystemFixture(null, Paths.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal))
{
    /// <summary>Where each endpoint the SPA uses is moved to.</summary>
    public static readonly IReadOnlyDictionary<string, string> Paths = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Bff:LoginPath"] = "/auth/sign-in",
        ["Bff:UserPath"] = "/auth/me",
        ["Bff:LogoutPath"] = "/auth/sign-out",
        ["Bff:SessionsPath"] = "/auth/sessions",
        ["Bff:EventsPath"] = "/auth/events",
        ["Bff:Account:Path"] = "/auth/account",
    };
}

/// <summary>
/// The SPA takes the BFF's endpoint paths from the server: with every management endpoint moved by
/// configuration, it still signs in (silently first, then with the form), shows the user, its
/// sessions and its live session stream, calls the APIs and signs out, and never asks for a
/// <c>/bff/...</c> path.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SpaPathsJourneys(BrowserFixture browser, MovedEndpointsFixture fixture) : IClassFixture<MovedEndpointsFixture>
{
    /// <summary>The moved endpoints the SPA itself asks for (the account endpoint is only linked).</summary>
    private static readonly string[] AskedPaths = ["/auth/sign-in", "/auth/me", "/auth/sign-out", "/auth/sessions", "/auth/events"];

    private BffSystem System => fixture.System;

    [Fact]
    public async Task The_SPA_works_when_the_management_endpoints_are_moved()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async page =>
        {
            var asked = new List<string>();
            page.Request += (_, request) =>
            {
                var url = new Uri(request.Url);
                if (url.Authority == System.Address.Authority)
                {
                    lock (asked)
                    {
                        asked.Add(url.AbsolutePath);
                    }
                }
            };
            var spa = new SpaPage(page);

            await page.GotoAsync(System.Url("/app"));
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            await Expect(spa.SessionState).ToHaveAttributeAsync("data-silent-sign-in", "login_required");
            await Expect(page.Locator("#change-password")).ToHaveAttributeAsync("href", "/auth/account/UPDATE_PASSWORD?returnUrl=%2Fapp");
            await spa.LoginLink.ClickAsync();
            await new LoginPage(page).SubmitAsync(alice.Username, alice.Password);
            await page.WaitForURLAsync(System.Url("/app"));

            await spa.ExpectSignedInAsync(alice.Username);
            await Expect(spa.UserRoles).ToContainTextAsync("admin");
            await Expect(spa.CurrentSession).ToHaveCountAsync(1);
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-session-watch", "open");
            await spa.AddNoteAsync("Moved " + Guid.NewGuid().ToString("N")[..8], "same SPA, other paths");
            await spa.CallRemoteAsync();
            await Expect(spa.RemoteResult).ToContainTextAsync("\"alice\"");

            await spa.LogoutLink.ClickAsync();
            await page.WaitForURLAsync(System.Url("/"));
            await page.GotoAsync(System.Url("/app"));
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            Assert.Empty(await System.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: alice.Id)));

            string[] seen;
            lock (asked)
            {
                seen = [.. asked];
            }

            foreach (var path in AskedPaths)
            {
                Assert.Contains(path, seen);
            }

            Assert.DoesNotContain(seen, path => path.StartsWith("/bff/", StringComparison.Ordinal));
        });
    }
}
