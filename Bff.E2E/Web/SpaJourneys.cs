using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using Bff.Sessions;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Web;

/// <summary>A <see cref="BffSystem"/> whose access tokens live seconds, so journeys cross an expiry.</summary>
public sealed class ShortTokensFixture() : BffSystemFixture(
    idp => idp.AccessTokenLifespan = AccessTokenLifespan,
    new Dictionary<string, string?> { ["Bff:RefreshBeforeExpiry"] = "00:00:01" })
{
    /// <summary>The DevIdp's access token lifespan for every realm.</summary>
    public static readonly TimeSpan AccessTokenLifespan = TimeSpan.FromSeconds(6);

    private SignedInStates? _signedIn;

    /// <summary>Signed-in browser states (signed in at the SPA, /app), made once per user.</summary>
    public SignedInStates SignedIn => _signedIn ?? throw new InvalidOperationException("The system has not started.");

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _signedIn = new SignedInStates(System.Address, "/app");
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        _signedIn?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>
/// The SPA in a real Chromium: the SPA at /app signs in, shows the user, keeps notes, calls the
/// remote API through the BFF's proxy, keeps working after the access token expired, and never
/// holds a token where a script or a response could show it.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class SpaJourneys(BrowserFixture browser, ShortTokensFixture fixture) : IClassFixture<ShortTokensFixture>
{
    private BffSystem System => fixture.System;

    [Fact]
    public async Task The_SPA_signs_in_then_shows_the_user_keeps_notes_and_calls_the_remote_API()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async (context, page) =>
        {
            var evidence = BrowserEvidence.Record(page, System.Address);
            var spa = new SpaPage(page);

            await page.GotoAsync(System.Url("/app"));
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            await spa.LoginLink.ClickAsync();
            await new LoginPage(page).SubmitAsync(alice.Username, alice.Password);
            await page.WaitForURLAsync(System.Url("/app"));

            await spa.ExpectSignedInAsync(alice.Username);
            await Expect(spa.UserRoles).ToContainTextAsync("admin");

            var title = "Groceries " + Guid.NewGuid().ToString("N")[..8];
            await spa.AddNoteAsync(title, "milk, bread");
            await page.ReloadAsync();
            await Expect(spa.NoteTitles.Filter(new() { HasTextString = title })).ToHaveCountAsync(1);

            await spa.CallRemoteAsync();
            await Expect(spa.RemoteResult).ToContainTextAsync("\"alice\"");

            await evidence.AssertNoTokenReachedTheBrowserAsync(context, page, await TokensOfAsync(alice));
        });
    }

    [Fact]
    public async Task The_SPA_keeps_working_after_the_access_token_expires()
    {
        // Bob: the only user signed in on this system by this class, so his one session is this browser's.
        var bob = TestUsers.Bob;
        var signedIn = await fixture.SignedIn.ForAsync(browser, bob);
        await Journey.RunAsync(browser, async (context, page) =>
        {
            var evidence = BrowserEvidence.Record(page, System.Address);
            var spa = new SpaPage(page);
            await page.GotoAsync(System.Url("/app"));
            await spa.ExpectSignedInAsync(bob.Username);
            await spa.CallRemoteAsync();
            await Expect(spa.RemoteResult).ToContainTextAsync("\"bob\"");

            var before = await OnlySessionAsync(bob);
            var refreshes = System.Idp.TokenRequests("refresh_token");
            var tokensSeen = new HashSet<string>(await TokensOfAsync(bob), StringComparer.Ordinal);
            var wait = before.Tokens!.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

            // The token the BFF held has expired (the downstream API allows no clock skew): the
            // next call works only because the BFF refreshed it server-side.
            await spa.CallRemoteAsync();
            await Expect(spa.RemoteResult).ToContainTextAsync("\"bob\"");
            var title = "After expiry " + Guid.NewGuid().ToString("N")[..8];
            await spa.AddNoteAsync(title, "still signed in");

            var after = await OnlySessionAsync(bob);
            Assert.Equal(before.Key, after.Key);
            Assert.NotEqual(before.Tokens.AccessToken, after.Tokens!.AccessToken);
            Assert.True(System.Idp.TokenRequests("refresh_token") > refreshes, "no refresh reached the DevIdp");
            tokensSeen.UnionWith(await TokensOfAsync(bob));
            await evidence.AssertNoTokenReachedTheBrowserAsync(context, page, tokensSeen);
        }, signedIn);
    }

    private async Task<ServerSession> OnlySessionAsync(TestUser user)
    {
        var sessions = await System.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: user.Id));
        return Assert.Single(sessions);
    }

    private async Task<IReadOnlyCollection<string>> TokensOfAsync(TestUser user)
    {
        var sessions = await System.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: user.Id));
        return [.. sessions.SelectMany(s => new[] { s.Tokens?.AccessToken, s.Tokens?.RefreshToken, s.Tokens?.IdToken }).OfType<string>()];
    }
}
