using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public class ErrorTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    private static readonly string[] ErrorsOfAnotherClient = ["invalid_grant", "unauthorized_client"];

    [Fact]
    public async Task Unregistered_redirect_uri_gets_an_error_page_never_a_redirect()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { RedirectUri = "https://attacker.example/callback" };

        var response = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Invalid parameter: redirect_uri", html, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000/signin-oidc/")]
    [InlineData("http://localhost:5000/signin-oidc?x=1")]
    [InlineData("http://LOCALHOST:5000/signin-oidc2")]
    public async Task Redirect_uri_must_match_exactly(string redirectUri)
    {
        using var browser = new BrowserClient();
        var response = await browser.GetAsync(new AuthorizeRequest { RedirectUri = redirectUri }.ToUri(idp.Endpoint("auth")), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Unknown_client_gets_an_error_page()
    {
        using var browser = new BrowserClient();
        var response = await browser.GetAsync(new AuthorizeRequest { ClientId = "no-such-client" }.ToUri(idp.Endpoint("auth")), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Client not found.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_PKCE_is_refused()
    {
        using var browser = new BrowserClient();
        var response = await browser.GetAsync(new AuthorizeRequest { CodeChallengeMethod = "plain" }.ToUri(idp.Endpoint("auth")), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await KeycloakLoginForm.IsLoginPageAsync(response));
    }

    [Fact]
    public async Task Missing_code_challenge_is_refused_for_a_client_registered_for_S256()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { CodeChallengeMethod = null };

        var response = await browser.GetAsync(request.ToUri(idp.Endpoint("auth")), followRedirects: false);

        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!);
        Assert.Equal("invalid_request", parameters["error"]);
        Assert.Equal("Missing parameter: code_challenge", parameters["error_description"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task Wrong_client_secret_is_invalid_client_with_401_and_does_not_burn_the_code()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var parameters = await CodeFlow.AuthorizeAsync(browser, idp.Server, request, TestUsers.Bob);

        var wrong = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request, secret: "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.HttpStatusCode);
        // (IdentityModel reports a 401 as an HTTP error; the body is the protocol error.)
        Assert.Equal("invalid_client", System.Text.Json.JsonDocument.Parse(wrong.Raw!).RootElement.GetProperty("error").GetString());

        var right = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request);
        Assert.False(right.IsError, right.Error);
    }

    [Fact]
    public async Task Client_secret_post_is_accepted_too()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var parameters = await CodeFlow.AuthorizeAsync(browser, idp.Server, request, TestUsers.Bob);
        using var http = new HttpClient();

        var response = await http.PostAsync(idp.Endpoint("token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = parameters["code"],
            ["redirect_uri"] = request.RedirectUri!,
            ["code_verifier"] = request.Verifier,
            ["client_id"] = "bff",
            ["client_secret"] = TestClients.Bff.Secret,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Bad_PKCE_verifier_is_invalid_grant()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var parameters = await CodeFlow.AuthorizeAsync(browser, idp.Server, request, TestUsers.Bob);

        var response = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request, verifier: Pkce.CreateVerifier());

        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task Reused_code_is_invalid_grant_and_revokes_the_tokens_issued_from_it()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var parameters = await CodeFlow.AuthorizeAsync(browser, idp.Server, request, TestUsers.Bob);
        var first = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request);
        Assert.False(first.IsError, first.Error);

        var second = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request);

        Assert.Equal(HttpStatusCode.BadRequest, second.HttpStatusCode);
        Assert.Equal("invalid_grant", second.Error);
        var refresh = await CodeFlow.RefreshAsync(idp.Server, first.RefreshToken!);
        Assert.Equal("invalid_grant", refresh.Error);
    }

    [Fact]
    public async Task Code_redeemed_with_another_redirect_uri_is_refused()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var parameters = await CodeFlow.AuthorizeAsync(browser, idp.Server, request, TestUsers.Bob);

        var response = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request with { RedirectUri = "http://localhost:5000/other" });

        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task Code_of_one_client_cannot_be_redeemed_by_another()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var parameters = await CodeFlow.AuthorizeAsync(browser, idp.Server, request, TestUsers.Bob);

        var response = await CodeFlow.RedeemAsync(idp.Server, parameters["code"], request with { ClientId = TestClients.AdminTool.ClientId }, secret: TestClients.AdminTool.Secret);

        Assert.True(response.IsError);
        Assert.Contains(response.Error, ErrorsOfAnotherClient);
    }
}
