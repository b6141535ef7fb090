using System.Net;
using Bff.E2E.PageModels;
using Bff.E2E.TestInfra;
using Bff.Sessions;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Cluster;

/// <summary>
/// The SPA in a real Chromium, through nginx over two instances of the app on one Redis and one
/// PostgreSQL: requests of one browser land on both instances in turn, and its session must not
/// notice which one answers, across a token refresh and up to its sign-out.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ClusterJourneys(BrowserFixture browser, ClusterSystem cluster) : IClassFixture<ClusterSystem>
{
    private const string SessionCookie = "__Host-bff";

    [Fact]
    public async Task Through_nginx_over_two_instances_the_SPA_signs_in_keeps_notes_survives_a_refresh_and_signs_out()
    {
        var alice = TestUsers.Alice;
        await Journey.RunAsync(browser, async (context, page) =>
        {
            var evidence = BrowserEvidence.Record(page, cluster.Address);
            var spa = new SpaPage(page);
            var tokensSeen = new HashSet<string>(StringComparer.Ordinal);

            // Sign in: the authorization request leaves from one instance, the callback may land on
            // the other (its correlation and nonce cookies are protected with the key ring both read from Redis).
            await page.GotoAsync(cluster.Url("/app"));
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            await spa.LoginLink.ClickAsync();
            await new LoginPage(page).SubmitAsync(alice.Username, alice.Password);
            await page.WaitForURLAsync(cluster.Url("/app"));
            await spa.ExpectSignedInAsync(alice.Username);

            // Notes: written on one instance, listed after a reload from whichever answers.
            var title = "Cluster " + Guid.NewGuid().ToString("N")[..8];
            await spa.AddNoteAsync(title, "kept in PostgreSQL");
            await page.ReloadAsync();
            await spa.ExpectSignedInAsync(alice.Username);
            await Expect(spa.NoteTitles.Filter(new() { HasTextString = title })).ToHaveCountAsync(1);

            // The session answers on both instances: round-robin sends consecutive calls to each in turn.
            await UserAnswersOnBothInstancesAsync(page);

            // A refresh: wait until the access token the session holds has expired (the downstream
            // API allows no clock skew), then call the remote API through the proxy.
            await spa.CallRemoteAsync();
            await Expect(spa.RemoteResult).ToContainTextAsync("\"alice\"");
            var before = await OnlySessionAsync(cluster.Services(0), alice);
            tokensSeen.UnionWith(TokensOf(before));
            var refreshes = cluster.Idp.TokenRequests("refresh_token");
            var reuses = cluster.Idp.RefreshTokenReuses;
            var wait = before.Tokens!.AccessTokenExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

            await spa.CallRemoteAsync();
            await Expect(spa.RemoteResult).ToContainTextAsync("\"alice\"");
            var after = await OnlySessionAsync(cluster.Services(1), alice);
            tokensSeen.UnionWith(TokensOf(after));
            Assert.Equal(before.Key, after.Key);
            Assert.NotEqual(before.Tokens.AccessToken, after.Tokens!.AccessToken);
            Assert.Equal(refreshes + 1, cluster.Idp.TokenRequests("refresh_token"));
            Assert.Equal(reuses, cluster.Idp.RefreshTokenReuses);

            var later = "After refresh " + Guid.NewGuid().ToString("N")[..8];
            await spa.AddNoteAsync(later, "still signed in");
            await UserAnswersOnBothInstancesAsync(page);
            await evidence.AssertNoTokenReachedTheBrowserAsync(context, page, tokensSeen);

            // Sign out through one instance; the cookie the browser had is refused by both.
            var cookie = (await context.CookiesAsync([cluster.Address.AbsoluteUri])).Single(c => c.Name == SessionCookie).Value;
            await spa.LogoutLink.ClickAsync();
            await page.WaitForURLAsync(cluster.Url("/"));
            await page.GotoAsync(cluster.Url("/app"));
            await Expect(spa.SessionState).ToHaveTextAsync("Not signed in.");
            Assert.Empty(await cluster.Services(0).GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: alice.Id)));
            foreach (var (_, address) in cluster.Instances)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await UserStatusAsync(address, cookie));
            }
        });
    }

    /// <summary>
    /// Calls <c>/bff/user</c> from the page four times in a row and checks in nginx's access log that
    /// each instance answered at least one of them with 200.
    /// </summary>
    private async Task UserAnswersOnBothInstancesAsync(Microsoft.Playwright.IPage page)
    {
        var logged = (await cluster.AccessLogAsync()).Count;
        for (var n = 0; n < 4; n++)
        {
            // The body is read too: Playwright waits for it when the evidence reads every response.
            var status = await page.EvaluateAsync<int>("async () => { const r = await fetch('/bff/user', { headers: { 'X-CSRF': '1' } }); await r.text(); return r.status; }");
            Assert.Equal(200, status);
        }

        // nginx writes a line when its request has ended, which may be just after the browser got it.
        IReadOnlyList<string> calls = [];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            calls = [.. (await cluster.AccessLogAsync()).Skip(logged).Where(line => line.Contains("\"GET /bff/user ", StringComparison.Ordinal))];
            if (calls.Count >= 4)
            {
                break;
            }

            await Task.Delay(100);
        }

        foreach (var (_, address) in cluster.Instances)
        {
            var upstream = $" 200 upstream={address.Host}:{address.Port}";
            Assert.True(calls.Any(line => line.EndsWith(upstream, StringComparison.Ordinal)), $"No /bff/user answered by {address}:\n{string.Join('\n', calls)}");
        }
    }

    /// <summary>The answer of <c>/bff/user</c> at one instance directly, with a given session cookie.</summary>
    private static async Task<HttpStatusCode> UserStatusAsync(Uri instance, string cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/user") { Headers = { { "X-CSRF", "1" }, { "Cookie", SessionCookie + "=" + cookie } } };
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<ServerSession> OnlySessionAsync(IServiceProvider services, TestUser user) =>
        Assert.Single(await services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: user.Id)));

    private static IEnumerable<string> TokensOf(ServerSession session) =>
        new[] { session.Tokens?.AccessToken, session.Tokens?.RefreshToken, session.Tokens?.IdToken }.OfType<string>();
}
