using System.Net;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public class LoginPageTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    private const string GenericError = "Invalid username or password.";

    private async Task<(BrowserClient Browser, HttpResponseMessage Page)> OpenLoginPageAsync()
    {
        var browser = new BrowserClient();
        var page = await browser.GetAsync(new AuthorizeRequest().ToUri(idp.Endpoint("auth")));
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(page));
        return (browser, page);
    }

    [Fact]
    public async Task Login_page_uses_Keycloak_ids_and_carries_an_antiforgery_token()
    {
        var (browser, page) = await OpenLoginPageAsync();
        using var _ = browser;
        var html = await page.Content.ReadAsStringAsync();

        var form = HtmlForm.Parse(html, page.RequestMessage!.RequestUri!, KeycloakLoginForm.FormId);
        Assert.Equal("POST", form.Method);
        Assert.NotNull(form["username"]);
        Assert.Contains("id=\"password\" name=\"password\" type=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"kc-login\"", html, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(form["__RequestVerificationToken"]));
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("nobody", "alice-password")]
    [InlineData("carol", "wrong-password")]
    public async Task Wrong_password_unknown_user_and_disabled_user_with_wrong_password_get_the_same_error(string username, string password)
    {
        var (browser, page) = await OpenLoginPageAsync();
        using var _ = browser;

        var response = await KeycloakLoginForm.SubmitAsync(browser, page, username, password, followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(GenericError, html, StringComparison.Ordinal);
        Assert.DoesNotContain("disabled", html, StringComparison.OrdinalIgnoreCase);
        Assert.Null(browser.GetCookie(idp.Endpoint("auth"), DevIdpServer.SessionCookieName));
    }

    [Fact]
    public async Task Disabled_user_with_the_right_password_is_told_and_not_signed_in()
    {
        var (browser, page) = await OpenLoginPageAsync();
        using var _ = browser;

        var response = await KeycloakLoginForm.SubmitAsync(browser, page, TestUsers.Carol.Username, TestUsers.Carol.Password, followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Account is disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        Assert.Null(browser.GetCookie(idp.Endpoint("auth"), DevIdpServer.SessionCookieName));
    }

    [Fact]
    public async Task Login_without_the_antiforgery_token_is_refused()
    {
        var (browser, page) = await OpenLoginPageAsync();
        using var _ = browser;
        var form = HtmlForm.Parse(await page.Content.ReadAsStringAsync(), page.RequestMessage!.RequestUri!, KeycloakLoginForm.FormId)
            .Set("username", "alice").Set("password", "alice-password");
        form.Fields.RemoveAll(f => f.Key == "__RequestVerificationToken");

        var response = await browser.SubmitAsync(form, followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(response));
        Assert.Null(browser.GetCookie(idp.Endpoint("auth"), DevIdpServer.SessionCookieName));
    }

    [Fact]
    public async Task Users_can_sign_in_with_their_email()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();

        var response = await KeycloakLoginForm.SignInAsync(browser, request.ToUri(idp.Endpoint("auth")), TestUsers.Dave.Email, TestUsers.Dave.Password, followRedirects: false);

        Assert.True((await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!)).ContainsKey("code"));
    }

    [Fact]
    public async Task Request_parameters_are_html_encoded_on_the_login_page()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { State = "\"><script>alert(1)</script>" };

        var page = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")));

        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        var form = HtmlForm.Parse(html, page.RequestMessage!.RequestUri!, KeycloakLoginForm.FormId);
        Assert.Equal(request.State, form["state"]);
    }
}
