using System.Net;
using Bff.DevIdp;
using Bff.Tests.TestInfra;
using Duende.IdentityModel.Client;

namespace Bff.Tests.DevIdp;

public class CodeFlowTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    [Fact]
    public async Task Code_flow_with_PKCE_through_the_login_form_issues_tokens()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();

        var loginPage = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")));
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(loginPage));
        var response = await KeycloakLoginForm.SubmitAsync(browser, loginPage, TestUsers.Alice.Username, TestUsers.Alice.Password, followRedirects: false);
        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!);

        Assert.Equal(request.State, parameters["state"]);
        Assert.Equal(idp.Authority.AbsoluteUri, parameters["iss"]);
        var tokens = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request);
        Assert.False(tokens.IsError, tokens.Error);
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
        var idToken = CodeFlow.Payload(tokens.IdentityToken!);
        Assert.Equal(request.Nonce, idToken.GetProperty("nonce").GetString());
        Assert.Equal(TestUsers.Alice.Id, idToken.GetProperty("sub").GetString());
        Assert.InRange(idToken.GetProperty("auth_time").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.False(string.IsNullOrEmpty(browser.GetCookie(idp.Endpoint("auth"), DevIdpServer.SessionCookieName)));
    }

    [Fact]
    public async Task Response_mode_form_post_returns_an_auto_submitting_form_to_the_redirect_uri()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ResponseMode = "form_post" };

        var parameters = await CodeFlow.AuthorizeAsync(browser, idp.Server, request, TestUsers.Bob);

        Assert.Equal(request.State, parameters["state"]);
        var tokens = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request);
        Assert.False(tokens.IsError, tokens.Error);
    }

    [Fact]
    public async Task Sso_session_signs_in_the_second_time_without_the_form()
    {
        using var browser = new BrowserClient();
        await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Bob);

        var second = new AuthorizeRequest();
        var response = await browser.GetAsync(second.ToUri(idp.Endpoint("auth")), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(response, second.RedirectUri!);
        var tokens = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], second);
        Assert.Equal(TestUsers.Bob.Id, CodeFlow.Payload(tokens.AccessToken!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Prompt_none_without_a_session_answers_login_required_to_the_client()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { Prompt = "none" };

        var response = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")), followRedirects: false);

        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!);
        Assert.Equal("login_required", parameters["error"]);
        Assert.Equal(request.State, parameters["state"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task Prompt_none_with_a_session_issues_a_code()
    {
        using var browser = new BrowserClient();
        await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Alice);
        var request = new AuthorizeRequest { Prompt = "none" };

        var response = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")), followRedirects: false);

        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!);
        Assert.True(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task Prompt_login_shows_the_form_despite_a_session_and_signing_in_again_works()
    {
        using var browser = new BrowserClient();
        await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Alice);
        var request = new AuthorizeRequest { Prompt = "login" };

        var page = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")));
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(page));
        var response = await KeycloakLoginForm.SubmitAsync(browser, page, TestUsers.Bob.Username, TestUsers.Bob.Password, followRedirects: false);

        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!);
        var tokens = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request);
        Assert.Equal(TestUsers.Bob.Id, CodeFlow.Payload(tokens.AccessToken!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Sso_cookie_is_HttpOnly_Secure_and_scoped_to_the_realm()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var page = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")));

        var response = await KeycloakLoginForm.SubmitAsync(browser, page, TestUsers.Bob.Username, TestUsers.Bob.Password, followRedirects: false);

        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(DevIdpServer.SessionCookieName + "=", StringComparison.Ordinal));
        Assert.Contains("path=/realms/bff/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Userinfo_returns_profile_and_groups_but_no_roles()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Alice);
        using var http = new HttpClient();

        var userInfo = await http.GetUserInfoAsync(new UserInfoRequest
        {
            Address = idp.Endpoint("userinfo").AbsoluteUri,
            Token = tokens.AccessToken,
        });

        Assert.False(userInfo.IsError, userInfo.Error);
        var json = userInfo.Json!.Value;
        Assert.Equal(TestUsers.Alice.Id, json.GetProperty("sub").GetString());
        Assert.Equal("alice", json.GetProperty("preferred_username").GetString());
        Assert.Equal(TestUsers.Alice.Email, json.GetProperty("email").GetString());
        Assert.Equal(TestUsers.Alice.Groups, json.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.False(json.TryGetProperty("realm_access", out _));
    }

    [Fact]
    public async Task Max_age_older_than_the_session_asks_for_the_password_again()
    {
        var clock = new ManualClock();
        await using var server = await DevIdpFixture.StartAsync(o => o.TimeProvider = clock);
        using var browser = new BrowserClient();
        await CodeFlow.LoginAsync(browser, server, TestUsers.Bob);
        clock.Advance(TimeSpan.FromMinutes(10));

        var fresh = await browser.GetAsync(new AuthorizeRequest { Prompt = null }.ToUri(server.Endpoint("auth")) + "&max_age=3600", followRedirects: false);
        var stale = await browser.GetAsync(new AuthorizeRequest().ToUri(server.Endpoint("auth")) + "&max_age=60", followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(stale));
    }
}
