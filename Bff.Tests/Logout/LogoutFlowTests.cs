using System.Net;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Logout;

/// <summary>
/// <c>/bff/logout</c> in both modes against the DevIdp over real HTTP, proven by what the DevIdp does next:
/// a silent login after <c>Local</c> (its SSO session lives on), the login form after <c>Keycloak</c>.
/// </summary>
public sealed class LogoutFlowTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private BrowserClient _browser = null!;
    private BffHost? _bff;

    private BffHost Bff => _bff!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_bff is not null)
        {
            await _bff.DisposeAsync();
        }

        _folder.Dispose();
    }

    private async Task StartAsync(string mode)
    {
        _bff = await fixture.StartBffAsync(_folder, new Dictionary<string, string?> { ["Bff:LogoutMode"] = mode });
        _browser = new BrowserClient(_bff.BaseAddress);
    }

    private async Task<(string LogoutUrl, string RefreshToken)> SignInAsync(TestUser user)
    {
        await _browser.SignInAsync(Bff.BaseAddress, user.Username, user.Password, "/Profile");
        var claims = await _browser.UserAsync() ?? throw new InvalidOperationException("Not signed in.");
        var session = Assert.Single(await Bff.SessionsOfAsync(user.Id));
        return (claims.Claim("bff:logout_url"), session.Tokens!.RefreshToken!);
    }

    [Fact]
    public async Task Local_logout_revokes_the_refresh_token_ends_the_session_and_the_next_login_is_silent()
    {
        await StartAsync("Local");
        var (logoutUrl, refreshToken) = await SignInAsync(TestUsers.Alice);
        var idpSessions = fixture.Idp.ActiveSessions("bff", TestUsers.Alice.Id);

        var landed = await _browser.GetAsync(new Uri(Bff.BaseAddress, logoutUrl + "&returnUrl=%2F%3Fbye%3D1"));

        Assert.Equal(new Uri(Bff.BaseAddress, "/?bye=1"), landed.RequestMessage!.RequestUri);
        Assert.DoesNotContain("signed-in-user", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await Bff.SessionsOfAsync(TestUsers.Alice.Id));
        Assert.Null(_browser.CookiesFor(Bff.BaseAddress)["__Host-bff"]);
        Assert.Null(await _browser.UserAsync());
        Assert.Equal("invalid_grant", await LogoutKit.RefreshErrorAsync(fixture.Authority, refreshToken));

        // The SSO session at the identity provider lives on: signing in again needs no password.
        Assert.Equal(idpSessions, fixture.Idp.ActiveSessions("bff", TestUsers.Alice.Id));
        var (formShown, page) = await _browser.LoginAgainAsync(TestUsers.Alice);
        Assert.False(formShown, "Local logout must leave the identity provider's SSO session alone.");
        Assert.Contains("<td id=\"username\">alice</td>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keycloak_logout_revokes_the_refresh_token_ends_the_SSO_session_and_the_next_login_shows_the_form()
    {
        await StartAsync("Keycloak");
        var (logoutUrl, refreshToken) = await SignInAsync(TestUsers.Bob);
        var idpSessions = fixture.Idp.ActiveSessions("bff", TestUsers.Bob.Id);

        // First hop: the BFF session is gone and the browser is sent to the end_session_endpoint.
        var first = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Bff.BaseAddress, logoutUrl + "&returnUrl=%2F%3Fafter%3Dlogout")), followRedirects: false);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var endSession = first.Headers.Location!;
        Assert.StartsWith(fixture.Authority.AbsoluteUri + "/protocol/openid-connect/logout?", endSession.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(endSession.Query);
        Assert.Equal("bff", query["client_id"]);
        Assert.False(string.IsNullOrEmpty(query["id_token_hint"]));
        Assert.Equal(new Uri(Bff.BaseAddress, "/signout-callback-oidc").AbsoluteUri, query["post_logout_redirect_uri"]);
        Assert.DoesNotContain("after", query["state"].ToString(), StringComparison.Ordinal); // protected, not readable
        Assert.Empty(await Bff.SessionsOfAsync(TestUsers.Bob.Id));

        // The rest of the way: the DevIdp ends its SSO session, the handler's callback returns to returnUrl.
        var landed = await _browser.GetAsync(endSession);
        Assert.Equal(new Uri(Bff.BaseAddress, "/?after=logout"), landed.RequestMessage!.RequestUri);
        Assert.Equal(idpSessions - 1, fixture.Idp.ActiveSessions("bff", TestUsers.Bob.Id));
        Assert.Equal("invalid_grant", await LogoutKit.RefreshErrorAsync(fixture.Authority, refreshToken));

        var (formShown, _) = await _browser.LoginAgainAsync(TestUsers.Bob);
        Assert.True(formShown, "Keycloak logout must end the identity provider's SSO session.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?sid=not-the-session")]
    [InlineData("?sid=")]
    public async Task Logout_without_the_sessions_sid_is_refused_and_nothing_is_logged_out(string query)
    {
        await StartAsync("Keycloak");
        var (logoutUrl, refreshToken) = await SignInAsync(TestUsers.Alice);
        var idpSessions = fixture.Idp.ActiveSessions("bff", TestUsers.Alice.Id);

        var json = await _browser.GetApiAsync("/bff/logout" + query);
        var person = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Bff.BaseAddress, "/bff/logout" + query)) { Headers = { { "Accept", "text/html" } } }, followRedirects: false);
        var post = await _browser.PostFormAsync(new Uri(Bff.BaseAddress, "/bff/logout"), [new("returnUrl", "/")]);

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, person.StatusCode);
        Assert.Equal("text/html", person.Content.Headers.ContentType?.MediaType);
        Assert.Contains("still signed in", await person.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.NotNull(await _browser.UserAsync());
        Assert.Single(await Bff.SessionsOfAsync(TestUsers.Alice.Id));
        Assert.Null(await LogoutKit.RefreshErrorAsync(fixture.Authority, refreshToken));
        Assert.Equal(idpSessions, fixture.Idp.ActiveSessions("bff", TestUsers.Alice.Id));
        Assert.Contains("?sid=", logoutUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_sid_from_the_provider_the_logout_url_carries_the_sessions_public_id_and_logs_out()
    {
        // A provider that issues no sid claim (unlike Keycloak): the claim is dropped at sign-in.
        _bff = await fixture.StartBffAsync(
            _folder,
            new Dictionary<string, string?> { ["Bff:LogoutMode"] = "Local" },
            builder => builder.Services.PostConfigure<OpenIdConnectOptions>(BffAuthenticationDefaults.OpenIdConnectScheme, options => options.ClaimActions.DeleteClaim("sid")));
        _browser = new BrowserClient(_bff.BaseAddress);
        var (logoutUrl, refreshToken) = await SignInAsync(TestUsers.Alice);
        var session = Assert.Single(await Bff.SessionsOfAsync(TestUsers.Alice.Id));
        Assert.Null(session.SessionId);
        Assert.Equal("/bff/logout?sid=" + SessionPublicId.Of(session.Key), logoutUrl);

        // Another session's id (or any other value) is not this session's guard.
        var refused = await _browser.GetApiAsync("/bff/logout?sid=" + SessionPublicId.Of("another-session-key"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull(await _browser.UserAsync());

        var landed = await _browser.GetAsync(new Uri(Bff.BaseAddress, logoutUrl + "&returnUrl=%2F"));

        Assert.Equal(new Uri(Bff.BaseAddress, "/"), landed.RequestMessage!.RequestUri);
        Assert.Empty(await Bff.SessionsOfAsync(TestUsers.Alice.Id));
        Assert.Null(await _browser.UserAsync());
        Assert.Equal("invalid_grant", await LogoutKit.RefreshErrorAsync(fixture.Authority, refreshToken));
    }

    [Fact]
    public async Task The_layouts_sign_out_form_logs_out_with_its_antiforgery_token()
    {
        await StartAsync("Local");
        await SignInAsync(TestUsers.Alice);
        var profile = await _browser.GetAsync(new Uri(Bff.BaseAddress, "/Profile"));

        var form = await HtmlForm.ParseAsync(profile);
        Assert.Equal(new Uri(Bff.BaseAddress, "/bff/logout"), form.Action);
        Assert.Contains("__RequestVerificationToken", form.Fields.Select(f => f.Key));
        var landed = await _browser.SubmitAsync(form);

        Assert.Equal(new Uri(Bff.BaseAddress, "/"), landed.RequestMessage!.RequestUri);
        Assert.Empty(await Bff.SessionsOfAsync(TestUsers.Alice.Id));
        Assert.Null(await _browser.UserAsync());
    }

    [Fact]
    public async Task An_absolute_returnUrl_is_refused_before_anything_is_logged_out()
    {
        await StartAsync("Local");
        var (logoutUrl, _) = await SignInAsync(TestUsers.Alice);

        var page = await _browser.GetApiAsync(logoutUrl + "&returnUrl=" + Uri.EscapeDataString("https://evil.example/"));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Single(await Bff.SessionsOfAsync(TestUsers.Alice.Id));
    }

    [Fact]
    public async Task Local_logout_after_the_session_was_already_deleted_just_returns_and_clears_the_cookie()
    {
        await StartAsync("Local");
        var (logoutUrl, _) = await SignInAsync(TestUsers.Alice);
        Assert.Equal(1, await Bff.Services.GetRequiredService<IUserSessionService>().EndAllAsync(new(Subject: TestUsers.Alice.Id), SessionEndReason.EndedByAdministrator));

        var first = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Bff.BaseAddress, logoutUrl + "&returnUrl=%2FProfile%3Fx%3D1")), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/Profile?x=1", first.Headers.Location!.OriginalString);
        Assert.Null(_browser.CookiesFor(Bff.BaseAddress)["__Host-bff"]);
    }

    [Fact]
    public async Task Keycloak_logout_after_the_session_was_already_deleted_still_reaches_the_provider_with_client_id()
    {
        await StartAsync("Keycloak");
        var (logoutUrl, _) = await SignInAsync(TestUsers.Alice);
        var idpSessions = fixture.Idp.ActiveSessions("bff", TestUsers.Alice.Id);
        await Bff.Services.GetRequiredService<IUserSessionService>().EndAllAsync(new(Subject: TestUsers.Alice.Id), SessionEndReason.EndedByAdministrator);

        var first = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Bff.BaseAddress, logoutUrl)), followRedirects: false);
        var query = QueryHelpers.ParseQuery(first.Headers.Location!.Query);
        var landed = await _browser.GetAsync(first.Headers.Location);

        Assert.Equal("bff", query["client_id"]);
        Assert.False(query.ContainsKey("id_token_hint"));
        Assert.Equal(new Uri(Bff.BaseAddress, "/"), new Uri(landed.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Path)));
        Assert.Equal(idpSessions - 1, fixture.Idp.ActiveSessions("bff", TestUsers.Alice.Id));
    }

    [Fact]
    public async Task A_browser_that_was_never_signed_in_is_sent_to_the_return_url()
    {
        await StartAsync("Keycloak");

        var first = await _browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Bff.BaseAddress, "/bff/logout?returnUrl=%2FProfile")), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/Profile", first.Headers.Location!.OriginalString);
    }
}
