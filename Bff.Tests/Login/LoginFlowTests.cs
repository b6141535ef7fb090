using System.Net;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Bff.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Login;

/// <summary>Sign-in through the DevIdp's login form over real HTTP, and what it leaves behind.</summary>
public sealed class LoginFlowTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private readonly BrowserClient _browser = new();
    private BffHost _bff = null!;

    public async Task InitializeAsync() => _bff = await fixture.StartBffAsync(_folder);

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _bff.DisposeAsync();
        _folder.Dispose();
    }

    private Uri Bff(string path) => new(_bff.BaseAddress, path);

    private Cookie SessionCookie() => _browser.CookiesFor(_bff.BaseAddress)["__Host-bff"] ?? throw new InvalidOperationException("No session cookie.");

    [Fact]
    public async Task Signing_in_lands_on_the_return_url_and_Profile_shows_preferred_username()
    {
        var page = await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password", "/Profile?tab=1");

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(Bff("/Profile?tab=1"), page.RequestMessage!.RequestUri);
        Assert.Contains("<td id=\"username\">alice</td>", html, StringComparison.Ordinal);
        Assert.Contains("Signed in as <strong id=\"signed-in-user\">alice</strong>", html, StringComparison.Ordinal);
        Assert.Contains("Anderson", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cookie_is_the_only_state_small_HttpOnly_Secure_Lax_and_holds_no_token()
    {
        var profileHtml = await (await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password")).Content.ReadAsStringAsync();

        var cookie = SessionCookie();
        Assert.True(cookie.Name.Length + cookie.Value.Length < 1024, $"cookie is {cookie.Value.Length} bytes");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal("/", cookie.Path);

        // Every BFF-origin cookie: the session and the antiforgery cookie; the correlation and nonce
        // cookies of the login are gone. (The DevIdp's own cookies share the host; cookies ignore ports.)
        var bffCookies = _browser.CookiesFor(_bff.BaseAddress).Where(c => !c.Name.StartsWith("DEVIDP", StringComparison.Ordinal)).Select(c => c.Name).Order().ToList();
        Assert.All(bffCookies, name => Assert.True(name is "__Host-bff" or "bff.af", name));

        var sessions = await _bff.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: TestUsers.Alice.Id));
        var tokens = Assert.Single(sessions).Tokens!;
        Assert.NotNull(tokens.RefreshToken);
        Assert.NotNull(tokens.IdToken);
        foreach (var token in new[] { tokens.AccessToken, tokens.RefreshToken, tokens.IdToken })
        {
            Assert.DoesNotContain(token, profileHtml, StringComparison.Ordinal);
            Assert.All(_browser.CookiesFor(_bff.BaseAddress).Cast<Cookie>(), c => Assert.DoesNotContain(token[..20], c.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_session_cookie_is_set_with_the_attributes_a_browser_enforces()
    {
        await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password");

        var setCookie = Assert.Single(_browser.SetCookieHeaders, h => h.StartsWith("__Host-bff=", StringComparison.Ordinal));
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_user_row_has_every_mapped_field_and_a_second_login_updates_it()
    {
        var users = _bff.Services.GetRequiredService<IUserStore>();
        await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password");
        var first = await users.FindBySubjectAsync(fixture.Authority.AbsoluteUri.TrimEnd('/'), TestUsers.Alice.Id);

        Assert.NotNull(first);
        Assert.Equal(("alice", "Alice", "Anderson", "alice@example.com", true), (first.UserName, first.FirstName, first.LastName, first.Email, first.EmailVerified));
        Assert.Superset(new HashSet<string> { "admin", "user", "notes-editor", "notes-reader" }, first.Roles.ToHashSet());
        Assert.Equal(["/staff", "/staff/engineering"], first.Groups.Order());
        Assert.NotNull(first.LastLogin);

        using var second = new BrowserClient();
        await second.SignInAsync(_bff.BaseAddress, "alice", "alice-password");

        var all = await users.ListAsync();
        var updated = Assert.Single(all);
        Assert.Equal(first.Id, updated.Id);
        Assert.Equal(first.Created, updated.Created);
        Assert.True(updated.LastLogin > first.LastLogin, $"{updated.LastLogin:o} after {first.LastLogin:o}");
    }

    [Fact]
    public async Task An_admin_reaches_Users_and_a_plain_user_gets_403()
    {
        var alicePage = await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password", "/Users");
        Assert.Equal(HttpStatusCode.OK, alicePage.StatusCode);
        Assert.Contains("<td class=\"username\">alice</td>", await alicePage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var bob = new BrowserClient();
        var bobPage = await bob.SignInAsync(_bff.BaseAddress, "bob", "bob-password", "/Users");
        Assert.Equal(HttpStatusCode.Forbidden, bobPage.StatusCode);
        Assert.Equal("/AccessDenied", bobPage.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.DoesNotContain("<td class=\"username\">", await bobPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_and_groups_from_the_access_token_are_ASP_NET_roles()
    {
        var html = await (await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password")).Content.ReadAsStringAsync();

        Assert.Matches("<td id=\"roles\">[^<]*\\badmin\\b[^<]*notes-editor", html);
        Assert.Contains("/staff/engineering", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_app_on_the_same_data_folder_still_knows_the_session()
    {
        await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password");
        await _bff.DisposeAsync();

        _bff = await fixture.StartBffAsync(_folder);
        var page = await _browser.GetAsync(Bff("/Profile"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/Profile", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("<td id=\"username\">alice</td>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_session_cookie_is_anonymous_not_an_error()
    {
        await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password");
        var cookie = SessionCookie();
        var middle = cookie.Value.Length / 2;
        cookie.Value = cookie.Value[..middle] + (cookie.Value[middle] == 'A' ? 'B' : 'A') + cookie.Value[(middle + 1)..];

        var page = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, Bff("/Profile")), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith(Bff("/bff/login").AbsoluteUri, new Uri(Bff("/"), page.Headers.Location!).AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_server_side_session_makes_the_cookie_anonymous()
    {
        await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password");
        await _bff.Services.GetRequiredService<IInternalSessionStore>().DeleteAsync(new SessionFilter(Subject: TestUsers.Alice.Id));

        var page = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, Bff("/Profile")), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Replaying_the_callback_gives_a_readable_error_page_not_a_500()
    {
        // Stop at the identity provider's form_post page to post its callback twice.
        _browser.AutoSubmitFormPost = false;
        var login = await _browser.GetAsync(Bff("/bff/login?returnUrl=%2FProfile"));
        var formPost = await KeycloakLoginForm.SubmitAsync(_browser, login, "alice", "alice-password");
        var callback = await HtmlForm.ParseAsync(formPost);
        await _browser.SubmitAsync(callback);

        var replay = await _browser.SubmitAsync(callback);

        Assert.Equal("/Error", replay.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("Sign-in", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_login_in_the_same_browser_ends_the_previous_session()
    {
        await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password");
        var store = _bff.Services.GetRequiredService<IServerSessionStore>();
        Assert.Single(await store.FindAsync(new SessionFilter(Subject: TestUsers.Alice.Id)));

        // The DevIdp's SSO session would sign alice in again silently; drop it to sign in as bob.
        _browser.ForgetCookies(c => c.Name.StartsWith("DEVIDP", StringComparison.Ordinal));

        var page = await _browser.SignInAsync(_bff.BaseAddress, "bob", "bob-password");

        Assert.Contains("<td id=\"username\">bob</td>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await store.FindAsync(new SessionFilter(Subject: TestUsers.Alice.Id)));
        Assert.Single(await store.FindAsync(new SessionFilter(Subject: TestUsers.Bob.Id)));
    }

    [Fact]
    public async Task An_access_denied_answer_from_the_provider_gives_a_readable_page()
    {
        // The provider's authorization redirect carries the protected state; answer it as a provider
        // does when the person declines (error=access_denied), with the browser's correlation cookie.
        // With pushed authorization requests the state is not in the browser's URL: it is read from the
        // provider's login page, which carries the (restored) request in hidden fields.
        var challenge = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, Bff("/bff/login?returnUrl=%2FProfile")), followRedirects: false);
        var loginPage = await _browser.GetAsync(challenge.Headers.Location!);
        var state = System.Text.RegularExpressions.Regex.Match(await loginPage.Content.ReadAsStringAsync(), "name=\"state\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(state));

        var page = await _browser.PostFormAsync(Bff("/signin-oidc"), new Dictionary<string, string>
        {
            ["error"] = "access_denied",
            ["error_description"] = "<b>user said no</b>",
            ["state"] = state,
        });

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(Bff("/Error?error=access_denied"), page.RequestMessage!.RequestUri);
        Assert.Contains("Sign-in cancelled", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>user said no</b>", html, StringComparison.Ordinal);
        Assert.Null(_browser.CookiesFor(_bff.BaseAddress)["__Host-bff"]);
    }
}
