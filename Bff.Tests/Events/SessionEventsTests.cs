using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;
using Bff.Tokens.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Events;

/// <summary>One stack (DevIdp, downstream API, BFF with a 1 s heartbeat) for the session-event tests of a class.</summary>
public sealed class SessionEventsRig : IAsyncLifetime
{
    public TokenTestRig Rig { get; private set; } = null!;

    public Uri Bff => Rig.Bff.BaseAddress;

    public async Task InitializeAsync()
    {
        Rig = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?> { ["Bff:Events:Heartbeat"] = "00:00:01" });
        // The DevIdp's own logout tokens go to this BFF when an administrator ends a user's sessions there.
        Rig.Idp.ConfigureClient("bff", "bff", client => client.BackchannelLogoutUrl = new Uri(Bff, "/bff/backchannel"));
    }

    public async Task DisposeAsync() => await Rig.DisposeAsync();
}

/// <summary>
/// <c>GET /bff/events</c> over real HTTP: every way a session ends reaches an open stream of another
/// client of the same session (another tab) with its reason, and never the stream of another session.
/// </summary>
public sealed class SessionEventsTests(SessionEventsRig stack) : IClassFixture<SessionEventsRig>
{
    private TokenTestRig Rig => stack.Rig;

    /// <summary>Two sessions with a tab each: the one that ends and a bystander that must hear nothing.</summary>
    private async Task<TwoSessions> TwoSessionsAsync(string user, string otherUser)
    {
        var browser = await Rig.SignInAsync(user);
        var other = await Rig.SignInAsync(otherUser);
        var tab = await EventStreamTab.OpenAsync(browser, stack.Bff);
        var otherTab = await EventStreamTab.OpenAsync(other, stack.Bff);
        Assert.Equal("session", (await tab.NextEventAsync()).Event);
        Assert.Equal("session", (await otherTab.NextEventAsync()).Event);
        return new TwoSessions(browser, tab, other, otherTab);
    }

    /// <summary>Two signed-in browsers, each with an open event stream; disposing ends all four.</summary>
    private sealed record TwoSessions(BrowserClient Browser, EventStreamTab Tab, BrowserClient Other, EventStreamTab OtherTab) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await OtherTab.DisposeAsync();
            await Tab.DisposeAsync();
            Other.Dispose();
            Browser.Dispose();
        }
    }

    private static async Task AssertStillOpenAndQuietAsync(EventStreamTab tab)
    {
        // Two heartbeats after the end elsewhere: the stream is open and said nothing else.
        var frames = await tab.UntilHeartbeatsAsync(2);
        Assert.All(frames, f => Assert.Equal("heartbeat", f.Event));
    }

    [Fact]
    public async Task Logout_in_one_tab_ends_the_other_tab_s_stream_with_reason_logout()
    {
        await using var sessions = await TwoSessionsAsync("alice", "bob");
        var (alice, aliceTab, bob, bobTab) = sessions;
        Assert.Equal("no-store", aliceTab.Response.Headers.CacheControl?.ToString());
        Assert.Equal("no", Assert.Single(aliceTab.Response.Headers.GetValues("X-Accel-Buffering")));
        var logoutUrl = (await alice.UserAsync())!.Value.Claim("bff:logout_url");

        using var landed = await alice.GetAsync(new Uri(stack.Bff, logoutUrl + "&returnUrl=%2F"));

        Assert.Equal("logout", await aliceTab.EndedReasonAsync());
        Assert.True(await aliceTab.ClosedAsync(TimeSpan.FromSeconds(15)), "The stream must end with its session.");
        await AssertStillOpenAndQuietAsync(bobTab);
    }

    [Fact]
    public async Task Back_channel_logout_reaches_the_tab_with_its_reason()
    {
        await using var sessions = await TwoSessionsAsync("bob", "alice");
        var (bob, bobTab, alice, aliceTab) = sessions;
        await LogoutKit.AdminLogoutAsync(Rig.Idp, TestUsers.Bob.Id);

        Assert.Equal("backchannel_logout", await bobTab.EndedReasonAsync());
        await AssertStillOpenAndQuietAsync(aliceTab);
    }

    [Fact]
    public async Task Ending_the_other_sessions_from_another_browser_reaches_their_tabs_as_ended_by_user()
    {
        await using var sessions = await TwoSessionsAsync("alice", "bob");
        var (first, firstTab, bob, bobTab) = sessions;
        using var second = await Rig.SignInAsync("alice");
        await using var secondTab = await EventStreamTab.OpenAsync(second, stack.Bff);

        using var response = await second.ApiAsync(HttpMethod.Post, "/bff/sessions/end-others");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ended_by_user", await firstTab.EndedReasonAsync());
        await AssertStillOpenAndQuietAsync(bobTab);
        Assert.Equal("session", (await secondTab.NextEventAsync()).Event);
        await AssertStillOpenAndQuietAsync(secondTab);
    }

    [Fact]
    public async Task An_administrator_ending_a_user_s_sessions_reaches_their_tab_as_ended_by_administrator()
    {
        await using var sessions = await TwoSessionsAsync("bob", "alice");
        var (bob, bobTab, admin, adminTab) = sessions;
        // The administrators' page of the app, as alice (realm role admin) uses it.
        using var page = await admin.GetAsync("/Users");
        var form = HtmlForm.ParseAll(await page.Content.ReadAsStringAsync(), page.RequestMessage!.RequestUri!)
            .Single(f => f["subject"] == TestUsers.Bob.Id);
        using var ended = await admin.SubmitAsync(form);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal("ended_by_administrator", await bobTab.EndedReasonAsync());
        await AssertStillOpenAndQuietAsync(adminTab);
    }

    [Fact]
    public async Task A_refresh_the_identity_provider_refuses_ends_the_tab_s_stream_with_refresh_refused()
    {
        await using var sessions = await TwoSessionsAsync("alice", "bob");
        var (alice, aliceTab, bob, bobTab) = sessions;
        var session = await Rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.True((await Rig.Bff.Services.GetRequiredService<IOidcTokenClient>().RevokeRefreshTokenAsync(session.Tokens!.RefreshToken!)).Succeeded);
        await Rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);

        using var call = await alice.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        Assert.Equal("refresh_refused", await aliceTab.EndedReasonAsync());
        await AssertStillOpenAndQuietAsync(bobTab);
    }

    [Fact]
    public async Task The_stream_needs_the_anti_forgery_header_and_a_session()
    {
        using var alice = await Rig.SignInAsync("alice");

        var (http, response) = await EventStreamTab.RequestAsync(alice, stack.Bff, antiforgery: false);
        using (http)
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("antiforgery_header_missing", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        using var stranger = new BrowserClient(stack.Bff);
        var (http2, anonymous) = await EventStreamTab.RequestAsync(stranger, stack.Bff);
        using (http2)
        using (anonymous)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        }
    }
}
