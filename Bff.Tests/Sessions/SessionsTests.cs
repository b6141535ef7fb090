using System.Net;
using System.Text.Json;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Sessions;

/// <summary>
/// The user's own sessions over real HTTP: <c>/bff/sessions</c> for the SPA, the Sessions page, and the
/// administrator's "end all sessions" on the Users page. Ending a session revokes its refresh token.
/// </summary>
public sealed class SessionsTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private readonly List<BrowserClient> _browsers = [];
    private BffHost _bff = null!;

    public async Task InitializeAsync() => _bff = await fixture.StartBffAsync(_folder);

    public async Task DisposeAsync()
    {
        _browsers.ForEach(b => b.Dispose());
        await _bff.DisposeAsync();
        _folder.Dispose();
    }

    private async Task<BrowserClient> SignInAsync(TestUser user)
    {
        var browser = await BrowserClient.SignedInAsync(_bff.BaseAddress, user.Username, user.Password);
        _browsers.Add(browser);
        return browser;
    }

    private static async Task<JsonElement> ListAsync(BrowserClient browser)
    {
        using var response = await browser.GetApiAsync("/bff/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task A_page_finds_its_own_session_and_shows_when_it_ends()
    {
        // The Profile page reads the request's session key (GetBffSessionKeyAsync) and loads the
        // session: the absolute expiry it shows is the stored session's, which the cookie does not carry.
        var browser = await SignInAsync(TestUsers.Alice);
        var stored = Assert.Single(await _bff.SessionsOfAsync(TestUsers.Alice.Id));

        var page = await (await browser.GetAsync("/Profile")).Content.ReadAsStringAsync();

        Assert.Contains($"<td id=\"absolute-expiry\">{stored.Expires.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_lists_the_users_own_sessions_with_an_opaque_id_and_marks_the_current_one()
    {
        var first = await SignInAsync(TestUsers.Alice);
        await SignInAsync(TestUsers.Alice);
        await SignInAsync(TestUsers.Bob);

        var listed = await ListAsync(first);
        var answer = await (await first.GetApiAsync("/bff/sessions")).Content.ReadAsStringAsync();

        Assert.Equal(2, listed.GetArrayLength());
        Assert.Single(listed.EnumerateArray(), s => s.GetProperty("current").GetBoolean());
        var stored = await _bff.SessionsOfAsync(TestUsers.Alice.Id);
        foreach (var session in listed.EnumerateArray())
        {
            Assert.True(session.GetProperty("created").GetDateTimeOffset() <= session.GetProperty("lastSeen").GetDateTimeOffset());
            Assert.True(session.GetProperty("expires").GetDateTimeOffset() > DateTimeOffset.UtcNow);
            Assert.Equal("127.0.0.1", session.GetProperty("ipAddress").GetString());
            Assert.False(string.IsNullOrEmpty(session.GetProperty("browser").GetString()));
            Assert.DoesNotContain(stored, s => s.Key == session.GetProperty("id").GetString());
        }

        // Neither the session keys (what the cookies carry) nor any token appear in the answer.
        Assert.All(stored, s =>
        {
            Assert.DoesNotContain(s.Key, answer, StringComparison.Ordinal);
            Assert.DoesNotContain(s.Tokens!.RefreshToken!, answer, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_API_follows_the_BFF_API_conventions()
    {
        var browser = await SignInAsync(TestUsers.Alice);
        using var anonymous = new BrowserClient(_bff.BaseAddress);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/sessions", antiforgery: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.ApiAsync(HttpMethod.Post, "/bff/sessions/end-others", antiforgery: false)).StatusCode);
        var page = await anonymous.GetApiAsync("/bff/sessions");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal("application/problem+json", page.Content.Headers.ContentType?.MediaType);
        Assert.Single(await _bff.SessionsOfAsync(TestUsers.Alice.Id));
    }

    [Fact]
    public async Task Deleting_another_session_ends_it_revokes_its_refresh_token_and_its_browser_gets_401()
    {
        var mine = await SignInAsync(TestUsers.Alice);
        var other = await SignInAsync(TestUsers.Alice);
        var otherId = (await ListAsync(mine)).EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();
        var otherSid = (await other.UserAsync())!.Value.Claim("sid");
        var otherRefreshToken = (await _bff.SessionsOfAsync(TestUsers.Alice.Id)).Single(s => s.SessionId == otherSid).Tokens!.RefreshToken!;

        var deleted = await mine.ApiAsync(HttpMethod.Delete, "/bff/sessions/" + otherId);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await other.UserAsync());
        Assert.NotNull(await mine.UserAsync());
        Assert.Equal("invalid_grant", await LogoutKit.RefreshErrorAsync(fixture.Authority, otherRefreshToken));
        Assert.Equal(HttpStatusCode.NotFound, (await mine.ApiAsync(HttpMethod.Delete, "/bff/sessions/" + otherId)).StatusCode);
    }

    [Fact]
    public async Task Someone_elses_session_cannot_be_ended()
    {
        var alice = await SignInAsync(TestUsers.Alice);
        var bob = await SignInAsync(TestUsers.Bob);
        var bobsId = (await ListAsync(bob)).EnumerateArray().Single().GetProperty("id").GetString();

        var attempt = await alice.ApiAsync(HttpMethod.Delete, "/bff/sessions/" + bobsId);

        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        Assert.NotNull(await bob.UserAsync());
    }

    [Fact]
    public async Task End_others_keeps_only_the_calling_session()
    {
        var mine = await SignInAsync(TestUsers.Alice);
        var second = await SignInAsync(TestUsers.Alice);
        var third = await SignInAsync(TestUsers.Alice);

        var ended = await mine.ApiAsync(HttpMethod.Post, "/bff/sessions/end-others");

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await ended.Content.ReadAsStringAsync()).RootElement.GetProperty("ended").GetInt32());
        Assert.Null(await second.UserAsync());
        Assert.Null(await third.UserAsync());
        Assert.NotNull(await mine.UserAsync());
        Assert.Single((await ListAsync(mine)).EnumerateArray());
    }

    [Fact]
    public async Task The_Sessions_page_lists_sessions_and_its_forms_end_others_and_then_this_one()
    {
        var mine = await SignInAsync(TestUsers.Alice);
        var other = await SignInAsync(TestUsers.Alice);

        var page = await mine.GetAsync("/Sessions");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(2, html.Split("<tr class=\"session").Length - 1);
        Assert.Contains("(this browser)", html, StringComparison.Ordinal);

        var afterEndOthers = await mine.SubmitAsync(await HtmlForm.ParseAsync(page, "end-others"));
        var afterHtml = await afterEndOthers.Content.ReadAsStringAsync();
        Assert.Equal(new Uri(_bff.BaseAddress, "/Sessions?ended=1"), afterEndOthers.RequestMessage!.RequestUri);
        Assert.Contains("1 session was ended.", afterHtml, StringComparison.Ordinal);
        Assert.Equal(1, afterHtml.Split("<tr class=\"session").Length - 1);
        Assert.Null(await other.UserAsync());

        // The one row left is this browser's: ending it signs this browser out.
        var currentId = (await ListAsync(mine)).EnumerateArray().Single().GetProperty("id").GetString();
        var signedOut = await mine.SubmitAsync(await HtmlForm.ParseAsync(afterEndOthers, "end-" + currentId));
        Assert.Equal(new Uri(_bff.BaseAddress, "/"), signedOut.RequestMessage!.RequestUri);
        Assert.Null(await mine.UserAsync());
        Assert.Empty(await _bff.SessionsOfAsync(TestUsers.Alice.Id));
    }

    [Fact]
    public async Task A_post_to_the_Sessions_page_without_its_antiforgery_token_ends_nothing()
    {
        var mine = await SignInAsync(TestUsers.Alice);
        await SignInAsync(TestUsers.Alice);

        var forged = await mine.PostFormAsync(new Uri(_bff.BaseAddress, "/Sessions?handler=EndOthers"), []);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(2, (await _bff.SessionsOfAsync(TestUsers.Alice.Id)).Count);
    }

    [Fact]
    public async Task An_administrator_ends_every_session_of_a_user_from_the_Users_page_and_a_user_cannot()
    {
        var admin = await SignInAsync(TestUsers.Alice);
        var bob1 = await SignInAsync(TestUsers.Bob);
        var bob2 = await SignInAsync(TestUsers.Bob);
        var bobsRefreshTokens = (await _bff.SessionsOfAsync(TestUsers.Bob.Id)).Select(s => s.Tokens!.RefreshToken!).ToList();

        // Bob, not an administrator, cannot use the page even with a valid antiforgery token of his own.
        var bobsSessionsPage = await bob1.GetAsync("/Sessions");
        var bobsToken = (await HtmlForm.ParseAsync(bobsSessionsPage, "end-others"))["__RequestVerificationToken"]!;
        var bobTries = await bob1.PostFormAsync(new Uri(_bff.BaseAddress, "/Users?handler=EndSessions"), [new("subject", TestUsers.Alice.Id), new("__RequestVerificationToken", bobsToken)]);
        Assert.Equal("/AccessDenied", bobTries.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Single(await _bff.SessionsOfAsync(TestUsers.Alice.Id));

        var users = await admin.GetAsync("/Users");
        var bobsForm = await EndSessionsFormForAsync(users, TestUsers.Bob.Id);
        var after = await admin.SubmitAsync(bobsForm);

        Assert.Equal(new Uri(_bff.BaseAddress, "/Users?endedSessions=2"), after.RequestMessage!.RequestUri);
        Assert.Null(await bob1.UserAsync());
        Assert.Null(await bob2.UserAsync());
        Assert.NotNull(await admin.UserAsync());
        foreach (var refreshToken in bobsRefreshTokens)
        {
            Assert.Equal("invalid_grant", await LogoutKit.RefreshErrorAsync(fixture.Authority, refreshToken));
        }
    }

    private static async Task<HtmlForm> EndSessionsFormForAsync(HttpResponseMessage page, string subject)
    {
        // The Users page has one "end sessions" form per linked user, carrying the subject.
        var html = await page.Content.ReadAsStringAsync();
        var start = html.IndexOf($"value=\"{subject}\"", StringComparison.Ordinal);
        Assert.True(start > 0, "no end-sessions form for the user");
        var formStart = html.LastIndexOf("<form", start, StringComparison.Ordinal);
        var formEnd = html.IndexOf("</form>", start, StringComparison.Ordinal) + "</form>".Length;
        return HtmlForm.Parse(html[formStart..formEnd], page.RequestMessage!.RequestUri!);
    }
}
