using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bff.DevIdp;
using Bff.Tests.TestInfra;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.DevIdp;

public sealed class BackchannelLogoutTests : IAsyncLifetime
{
    private DevIdpServer _idp = null!;
    private CapturingServer _receiver = null!;

    public async Task InitializeAsync()
    {
        _idp = await DevIdpFixture.StartAsync();
        _receiver = await CapturingServer.StartAsync();
        _idp.ConfigureClient("bff", "bff", c => c.BackchannelLogoutUrl = new Uri(_receiver.BaseAddress, "bff/backchannel"));
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task Rp_initiated_logout_posts_a_signed_logout_token_that_verifies_against_the_jwks()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, _idp, TestUsers.Alice);
        var sid = CodeFlow.Payload(tokens.IdentityToken!).GetProperty("sid").GetString();

        await browser.GetAsync(new Uri(_idp.Endpoint("logout") + "?client_id=bff&post_logout_redirect_uri=" + Uri.EscapeDataString("http://localhost:5000/")), followRedirects: false);

        var request = await _receiver.NextRequestAsync();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/bff/backchannel", request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        var logoutToken = request.Form["logout_token"];

        var jwks = new JsonWebKeySet((await CodeFlow.GetJsonAsync(_idp.Endpoint("certs"))).GetRawText());
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(logoutToken, new TokenValidationParameters
        {
            ValidIssuer = _idp.Authority().AbsoluteUri,
            ValidAudience = "bff",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("JWT", token.Typ);
        Assert.Equal(TestUsers.Alice.Id, token.Subject);
        Assert.Equal(sid, token.GetPayloadValue<string>("sid"));
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.True(token.TryGetPayloadValue<long>("iat", out _));
        Assert.True(token.TryGetPayloadValue<long>("exp", out _));
        Assert.False(token.TryGetPayloadValue<string>("nonce", out _));
        var events = token.GetPayloadValue<JsonElement>("events");
        Assert.Equal(JsonValueKind.Object, events.GetProperty("http://schemas.openid.net/event/backchannel-logout").ValueKind);
    }

    [Fact]
    public async Task Without_backchannel_logout_session_required_the_logout_token_has_no_sid()
    {
        _idp.ConfigureClient("bff", "bff", c => c.BackchannelLogoutSessionRequired = false);
        using var browser = new BrowserClient();
        await CodeFlow.LoginAsync(browser, _idp, TestUsers.Bob);

        await browser.GetAsync(new Uri(_idp.Endpoint("logout") + "?client_id=bff&post_logout_redirect_uri=" + Uri.EscapeDataString("http://localhost:5000/")), followRedirects: false);

        var token = new JsonWebToken((await _receiver.NextRequestAsync()).Form["logout_token"]);
        Assert.Equal(TestUsers.Bob.Id, token.Subject);
        Assert.False(token.TryGetPayloadValue<string>("sid", out _), "Keycloak leaves sid out when the client does not require it");
    }

    [Fact]
    public async Task Clients_without_a_session_get_no_logout_token()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, _idp, TestUsers.Bob);
        _idp.ConfigureClient("bff", "bff-admin-tool", c => c.BackchannelLogoutUrl = new Uri(_receiver.BaseAddress, "admin-tool/backchannel"));

        await browser.GetAsync(new Uri(_idp.Endpoint("logout") + "?id_token_hint=" + tokens.IdentityToken), followRedirects: false);

        var request = await _receiver.NextRequestAsync();
        Assert.Equal("/bff/backchannel", request.Path);
        await Task.Delay(200);
        Assert.False(_receiver.TryTake(out _));
    }

    [Fact]
    public async Task Admin_logout_ends_every_session_of_the_user_and_sends_back_channel_logouts()
    {
        using var browserOne = new BrowserClient();
        using var browserTwo = new BrowserClient();
        var first = await CodeFlow.LoginAsync(browserOne, _idp, TestUsers.Alice);
        var second = await CodeFlow.LoginAsync(browserTwo, _idp, TestUsers.Alice);
        var admin = await CodeFlow.ClientCredentialsAsync(_idp, TestClients.AdminTool);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);

        var response = await http.PostAsync(new Uri(_idp.BaseAddress, $"admin/realms/bff/users/{TestUsers.Alice.Id}/logout"), null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var sids = new[] { await _receiver.NextRequestAsync(), await _receiver.NextRequestAsync() }
            .Select(r => new JsonWebToken(r.Form["logout_token"]).GetPayloadValue<string>("sid")).Order().ToList();
        var expected = new[] { first, second }.Select(t => CodeFlow.Payload(t.AccessToken!).GetProperty("sid").GetString()!).Order().ToList();
        Assert.Equal(expected, sids);
        Assert.Equal("invalid_grant", (await CodeFlow.RefreshAsync(_idp, first.RefreshToken!)).Error);
        Assert.Equal("invalid_grant", (await CodeFlow.RefreshAsync(_idp, second.RefreshToken!)).Error);
        Assert.Equal(0, _idp.ActiveSessions("bff", TestUsers.Alice.Id));
    }

    [Fact]
    public async Task Admin_api_needs_a_bearer_token_with_an_admin_role()
    {
        var uri = new Uri(_idp.BaseAddress, $"admin/realms/bff/users/{TestUsers.Bob.Id}/logout");
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(uri, null)).StatusCode);

        using var withGarbage = new HttpClient();
        withGarbage.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "garbage");
        Assert.Equal(HttpStatusCode.Unauthorized, (await withGarbage.PostAsync(uri, null)).StatusCode);

        var bob = await CodeFlow.PasswordAsync(_idp, TestUsers.Bob);
        using var asBob = new HttpClient();
        asBob.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bob.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await asBob.PostAsync(uri, null)).StatusCode);
        Assert.Equal(1, _idp.ActiveSessions("bff", TestUsers.Bob.Id));
    }

    [Fact]
    public async Task Admin_api_finds_a_user_id_by_username()
    {
        var admin = await CodeFlow.ClientCredentialsAsync(_idp, TestClients.AdminTool);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);

        var users = JsonDocument.Parse(await http.GetStringAsync(new Uri(_idp.BaseAddress, "admin/realms/bff/users?username=bob"))).RootElement;

        var bob = Assert.Single(users.EnumerateArray());
        Assert.Equal(TestUsers.Bob.Id, bob.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_failing_receiver_does_not_stop_the_logout()
    {
        _receiver.StatusCode = 500;
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, _idp, TestUsers.Bob);

        var response = await browser.GetAsync(new Uri(_idp.Endpoint("logout") + "?client_id=bff&post_logout_redirect_uri=" + Uri.EscapeDataString("http://localhost:5000/")), followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("invalid_grant", (await CodeFlow.RefreshAsync(_idp, tokens.RefreshToken!)).Error);
    }
}
