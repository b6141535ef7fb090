using System.Net;
using System.Web;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public class LogoutTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    private const string PostLogoutUri = "http://localhost:5000/signout-callback-oidc";

    private Uri LogoutUri(string? idTokenHint = null, string? clientId = null, string? postLogoutRedirectUri = null, string? state = null)
    {
        var query = HttpUtility.ParseQueryString(string.Empty);
        foreach (var (name, value) in new[] { ("id_token_hint", idTokenHint), ("client_id", clientId), ("post_logout_redirect_uri", postLogoutRedirectUri), ("state", state) })
        {
            if (value is not null)
            {
                query[name] = value;
            }
        }

        return new UriBuilder(idp.Endpoint("logout")) { Query = query.ToString() }.Uri;
    }

    [Fact]
    public async Task Rp_initiated_logout_with_id_token_hint_redirects_with_state_and_ends_the_sso_session()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Bob);

        var response = await browser.GetAsync(LogoutUri(tokens.IdentityToken, postLogoutRedirectUri: PostLogoutUri, state: "st-123"), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(PostLogoutUri + "?state=st-123", response.Headers.Location!.AbsoluteUri);
        Assert.Null(browser.GetCookie(idp.Endpoint("auth"), DevIdpServer.SessionCookieName));

        var refresh = await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!);
        Assert.Equal("invalid_grant", refresh.Error);
        Assert.False((await CodeFlow.IntrospectAsync(idp.Server, tokens.AccessToken!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task After_logout_prompt_none_answers_login_required()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Alice);
        await browser.GetAsync(LogoutUri(tokens.IdentityToken, postLogoutRedirectUri: PostLogoutUri), followRedirects: false);
        var request = new AuthorizeRequest { Prompt = "none" };

        var response = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")), followRedirects: false);

        Assert.Equal("login_required", (await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!))["error"]);
    }

    [Fact]
    public async Task Rp_initiated_logout_with_client_id_needs_no_confirmation()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Bob);

        var response = await browser.GetAsync(LogoutUri(clientId: "bff", postLogoutRedirectUri: "http://localhost:5000/"), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost:5000/", response.Headers.Location!.AbsoluteUri);
        Assert.Equal("invalid_grant", (await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!)).Error);
    }

    [Theory]
    [InlineData("https://attacker.example/")]
    [InlineData("http://localhost:5000/signout-callback-oidc/")]
    [InlineData("http://localhost:5000/signin-oidc")]
    public async Task Unregistered_post_logout_redirect_uri_gets_an_error_page_and_keeps_the_session(string postLogoutRedirectUri)
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Bob);

        var response = await browser.GetAsync(LogoutUri(tokens.IdentityToken, postLogoutRedirectUri: postLogoutRedirectUri), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.False((await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!)).IsError);
    }

    [Fact]
    public async Task Post_logout_redirect_uri_without_id_token_hint_or_client_id_is_refused()
    {
        using var browser = new BrowserClient();
        await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Bob);

        var response = await browser.GetAsync(LogoutUri(postLogoutRedirectUri: PostLogoutUri), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Logout_without_hint_or_client_asks_for_confirmation_first()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Bob);

        var confirmation = await browser.GetAsync(LogoutUri(), followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
        var stillAlive = await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!);
        Assert.False(stillAlive.IsError, "a GET alone must not log out: " + stillAlive.Error + " " + stillAlive.ErrorDescription + " " + await confirmation.Content.ReadAsStringAsync());

        var form = HtmlForm.Parse(await confirmation.Content.ReadAsStringAsync(), confirmation.RequestMessage!.RequestUri!, "kc-logout-form");
        var loggedOut = await browser.SubmitAsync(form, followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, loggedOut.StatusCode);
        Assert.Contains("You are logged out", await loggedOut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(browser.GetCookie(idp.Endpoint("auth"), DevIdpServer.SessionCookieName));
    }
}
