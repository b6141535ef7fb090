using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using Bff.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Security;

/// <summary>
/// Hostile input a browser or a script can send, each answered with a clear 4xx (or treated as
/// anonymous, for cookies) and leaving sessions, users and notes as they were. Complements the
/// single cases in Login/, Web/, Notes/ and Backchannel/ with bulk and "nothing changed" checks.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string SessionCookie = "__Host-bff";
    private TokenTestRig rig = null!;
    private BrowserClient alice = null!;

    public async Task InitializeAsync()
    {
        rig = await TokenTestRig.StartAsync();
        alice = await rig.SignInAsync("alice");
        using var created = await alice.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title = "keep", text = "me" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public async Task DisposeAsync()
    {
        alice.Dispose();
        await rig.DisposeAsync();
    }

    private sealed record Snapshot(int Sessions, int Users, string Notes);

    private async Task<Snapshot> SnapshotAsync()
    {
        var sessions = (await rig.Sessions.FindAsync(new SessionFilter(Subject: TestUsers.Alice.Id))).Count
            + (await rig.Sessions.FindAsync(new SessionFilter(Subject: TestUsers.Bob.Id))).Count;
        var users = await rig.Bff.Services.GetRequiredService<IUserStore>().ListAsync(CancellationToken.None);
        using var notes = await alice.GetApiAsync("/api/notes");
        Assert.Equal(HttpStatusCode.OK, notes.StatusCode);
        return new Snapshot(sessions, users.Count, await notes.Content.ReadAsStringAsync());
    }

    private HttpRequestMessage WithCookie(HttpMethod method, string path, string cookieValue, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(rig.Bff.BaseAddress, path)) { Content = content };
        request.Headers.TryAddWithoutValidation("Cookie", SessionCookie + "=" + cookieValue);
        request.Headers.Add("X-CSRF", "1");
        return request;
    }

    [Fact]
    public async Task Random_and_truncated_session_cookies_are_anonymous_and_write_nothing()
    {
        var before = await SnapshotAsync();
        var real = alice.GetCookie(SessionCookie)!;
        var values = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            values.Add(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16 + (i * 37))).Replace('+', '-').Replace('/', '_').TrimEnd('='));
            values.Add(real[..Math.Max(1, real.Length * i / 20)]);
        }

        values.Add("CfDJ8" + new string('A', 4000));
        values.Add(real + real);

        using var raw = rig.Bff.CreateRawClient();
        foreach (var value in values)
        {
            using var get = await raw.SendAsync(WithCookie(HttpMethod.Get, "/api/notes", value));
            Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
            using var post = await raw.SendAsync(WithCookie(HttpMethod.Post, "/api/notes", value, JsonContent.Create(new { title = "x", text = "y" })));
            Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
            using var page = await raw.SendAsync(WithCookie(HttpMethod.Get, "/Profile", value));
            Assert.True(page.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"/Profile: {(int)page.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Oversized_headers_and_query_strings_get_4xx_from_kestrel_not_500()
    {
        using var raw = rig.Bff.CreateRawClient();

        using var longQuery = await raw.GetAsync(new Uri("/bff/login?returnUrl=%2F" + new string('a', 20_000), UriKind.Relative));
        Assert.True(longQuery.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.BadRequest, $"query: {(int)longQuery.StatusCode}");

        using var bigHeader = new HttpRequestMessage(HttpMethod.Get, "/api/notes");
        bigHeader.Headers.TryAddWithoutValidation("X-Big", new string('b', 64_000));
        using var bigHeaderResponse = await raw.SendAsync(bigHeader);
        Assert.True(bigHeaderResponse.StatusCode is HttpStatusCode.RequestHeaderFieldsTooLarge or HttpStatusCode.BadRequest, $"header: {(int)bigHeaderResponse.StatusCode}");

        using var bigCookie = new HttpRequestMessage(HttpMethod.Get, "/api/notes");
        bigCookie.Headers.TryAddWithoutValidation("Cookie", SessionCookie + "=" + new string('c', 40_000));
        using var bigCookieResponse = await raw.SendAsync(bigCookie);
        Assert.True(bigCookieResponse.StatusCode is HttpStatusCode.RequestHeaderFieldsTooLarge or HttpStatusCode.BadRequest, $"cookie: {(int)bigCookieResponse.StatusCode}");

        using var manyHeaders = new HttpRequestMessage(HttpMethod.Get, "/");
        for (var i = 0; i < 200; i++)
        {
            manyHeaders.Headers.TryAddWithoutValidation($"X-H{i}", new string('h', 200));
        }

        using var manyHeadersResponse = await raw.SendAsync(manyHeaders);
        Assert.True(manyHeadersResponse.StatusCode is HttpStatusCode.RequestHeaderFieldsTooLarge or HttpStatusCode.BadRequest, $"many headers: {(int)manyHeadersResponse.StatusCode}");

        // The server is still fine afterwards.
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task A_hundred_malformed_logout_tokens_are_400_and_end_no_session()
    {
        var before = await SnapshotAsync();
        using var raw = rig.Bff.CreateRawClient();
        var header = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        var noneHeader = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64Url("{\"iss\":\"x\",\"sub\":\"" + TestUsers.Alice.Id + "\",\"events\":{\"http://schemas.openid.net/event/backchannel-logout\":{}}}");
        for (var i = 0; i < 100; i++)
        {
            var token = (i % 5) switch
            {
                0 => Convert.ToBase64String(RandomNumberGenerator.GetBytes(10 + i)),
                1 => $"{header}.{payload}.{Base64Url(Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)))}",
                2 => $"{noneHeader}.{payload}.",
                3 => new string('.', i) + "x",
                _ => $"{header}.{payload[..(i % payload.Length)]}",
            };
            using var response = await raw.PostAsync(new Uri("/bff/backchannel", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["logout_token"] = token }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using var missing = await raw.PostAsync(new Uri("/bff/backchannel", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var json = await raw.PostAsync(new Uri("/bff/backchannel", UriKind.Relative), JsonContent.Create(new { logout_token = "x" }));
        Assert.True((int)json.StatusCode is >= 400 and < 500, $"json body: {(int)json.StatusCode}");

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt%3Aalert(1)")]
    [InlineData("http:/evil.example")]
    [InlineData("http%3A%2F%2Fevil.example")]
    [InlineData("data:text/html,x")]
    [InlineData("%252F%252Fevil.example")]
    public async Task Return_url_tricks_at_login_are_400_and_never_redirect(string returnUrl)
    {
        using var raw = rig.Bff.CreateRawClient();

        // The raw value goes on the wire as written (some are pre-encoded on purpose).
        using var response = await raw.GetAsync(new Uri("/bff/login?returnUrl=" + returnUrl, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_replayed_callback_creates_no_second_session()
    {
        // Stop at the identity provider's form_post page to keep its callback form.
        using var browser = new BrowserClient(rig.Bff.BaseAddress) { AutoSubmitFormPost = false };
        using var loginPage = await browser.GetAsync("/bff/login?returnUrl=%2Fapp");
        using var formPost = await KeycloakLoginForm.SubmitAsync(browser, loginPage, "bob", "bob-password");
        var callback = await HtmlForm.ParseAsync(formPost);
        using var first = await browser.SubmitAsync(callback);
        Assert.Equal("/app", first.RequestMessage!.RequestUri!.AbsolutePath);
        var afterFirst = await SnapshotAsync();

        // The same code and state again, from a fresh browser (an attacker who captured the post)
        // and from the same browser.
        using var attacker = new BrowserClient(rig.Bff.BaseAddress);
        using var stolen = await attacker.SubmitAsync(callback);
        Assert.NotEqual(HttpStatusCode.InternalServerError, stolen.StatusCode);
        Assert.True(attacker.GetCookie(SessionCookie) is null, "the replay must not sign the attacker in");

        Assert.Equal(afterFirst, await SnapshotAsync());
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
