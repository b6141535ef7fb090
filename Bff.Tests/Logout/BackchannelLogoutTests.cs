using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.TestInfra;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Logout;

/// <summary>
/// <c>POST /bff/backchannel</c> over real HTTP: logout tokens the DevIdp sends itself (an administrator ends a
/// user's sessions), and tokens signed in the test with a key the BFF trusts through <c>Oidc:JwksUri</c>,
/// to prove the endpoint ends the right sessions and refuses bad tokens without touching any.
/// </summary>
public sealed class BackchannelLogoutTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private readonly RsaSecurityKey _testKey = LogoutTokens.NewKey("test-rotation-key");
    private readonly List<BrowserClient> _browsers = [];
    private MergedJwksServer _jwks = null!;
    private BffHost _bff = null!;
    private LogoutTokens _tokens = null!;

    public async Task InitializeAsync()
    {
        _jwks = await MergedJwksServer.StartAsync(new Uri(fixture.Authority.AbsoluteUri + "/protocol/openid-connect/certs"), _testKey);
        _bff = await fixture.StartBffAsync(_folder, new Dictionary<string, string?> { ["Oidc:JwksUri"] = _jwks.JwksUri.AbsoluteUri });
        _tokens = new LogoutTokens(_testKey, fixture.Authority.AbsoluteUri.TrimEnd('/'), "bff", () => DateTimeOffset.UtcNow);
    }

    public async Task DisposeAsync()
    {
        _browsers.ForEach(b => b.Dispose());
        await _bff.DisposeAsync();
        await _jwks.DisposeAsync();
        _folder.Dispose();
    }

    private async Task<BrowserClient> SignInAsync(TestUser user)
    {
        var browser = await BrowserClient.SignedInAsync(_bff.BaseAddress, user.Username, user.Password);
        _browsers.Add(browser);
        return browser;
    }

    private async Task<HttpResponseMessage> PostAsync(params KeyValuePair<string, string>[] form)
    {
        using var http = new HttpClient();
        return await http.PostAsync(new Uri(_bff.BaseAddress, "/bff/backchannel"), new FormUrlEncodedContent(form));
    }

    private Task<HttpResponseMessage> PostTokenAsync(string token) => PostAsync(new KeyValuePair<string, string>("logout_token", token));

    [Fact]
    public async Task A_logout_token_with_a_sid_ends_that_session_only_and_the_SPA_gets_401()
    {
        var first = await SignInAsync(TestUsers.Alice);
        var second = await SignInAsync(TestUsers.Alice);
        var sessions = await _bff.SessionsOfAsync(TestUsers.Alice.Id);
        Assert.Equal(2, sessions.Count);
        var firstSid = (await first.UserAsync())!.Value.Claim("sid");
        var ended = sessions.Single(s => s.SessionId == firstSid);

        using var response = await PostTokenAsync(_tokens.Valid(sid: firstSid, sub: TestUsers.Alice.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var api = await first.GetApiAsync("/bff/user");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(await second.UserAsync());
        Assert.Equal("invalid_grant", await LogoutKit.RefreshErrorAsync(fixture.Authority, ended.Tokens!.RefreshToken!));
    }

    [Fact]
    public async Task A_logout_token_with_only_a_sub_ends_every_session_of_that_user()
    {
        var first = await SignInAsync(TestUsers.Alice);
        var second = await SignInAsync(TestUsers.Alice);
        var bob = await SignInAsync(TestUsers.Bob);

        using var response = await PostTokenAsync(_tokens.Valid(sid: null, sub: TestUsers.Alice.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await first.UserAsync());
        Assert.Null(await second.UserAsync());
        Assert.Empty(await _bff.SessionsOfAsync(TestUsers.Alice.Id));
        Assert.NotNull(await bob.UserAsync());
    }

    [Fact]
    public async Task Bad_logout_tokens_are_refused_with_400_JSON_and_no_session_ends()
    {
        var browser = await SignInAsync(TestUsers.Bob);
        var sid = (await browser.UserAsync())!.Value.Claim("sid");
        Dictionary<string, object> Claims() => _tokens.Claims(sid, TestUsers.Bob.Id);

        var wrongAudience = Claims();
        wrongAudience["aud"] = "another-client";
        var noEvents = Claims();
        noEvents.Remove("events");
        var withNonce = Claims();
        withNonce["nonce"] = "abc";
        var old = Claims();
        old["iat"] = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds();
        var cases = new Dictionary<string, string>
        {
            ["signature"] = _tokens.Sign(Claims(), signingKey: LogoutTokens.NewKey("test-rotation-key")),
            ["audience"] = _tokens.Sign(wrongAudience),
            ["event"] = _tokens.Sign(noEvents),
            ["nonce"] = _tokens.Sign(withNonce),
            ["too old"] = _tokens.Sign(old),
        };

        foreach (var (expected, token) in cases)
        {
            using var response = await PostTokenAsync(token);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("invalid_request", body.GetProperty("error").GetString());
            Assert.Contains(expected, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        }

        Assert.NotNull(await browser.UserAsync());
        Assert.Single(await _bff.SessionsOfAsync(TestUsers.Bob.Id));
    }

    [Fact]
    public async Task A_replayed_logout_token_is_refused()
    {
        var token = _tokens.Valid(sid: "a-session-that-is-not-here", sub: TestUsers.Bob.Id);

        using var first = await PostTokenAsync(token);
        using var replay = await PostTokenAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("replayed", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_exactly_one_logout_token_is_refused()
    {
        using var none = await PostAsync(new KeyValuePair<string, string>("token", "x"));
        using var two = await PostAsync(new("logout_token", _tokens.Valid()), new("logout_token", _tokens.Valid()));
        using var http = new HttpClient();
        using var json = await http.PostAsJsonAsync(new Uri(_bff.BaseAddress, "/bff/backchannel"), new { logout_token = _tokens.Valid() });

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, two.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
    }

    [Fact]
    public async Task An_administrator_ending_the_users_sessions_at_the_DevIdp_ends_the_BFF_sessions_through_its_logout_tokens()
    {
        fixture.Idp.ConfigureClient("bff", "bff", client => client.BackchannelLogoutUrl = new Uri(_bff.BaseAddress, "/bff/backchannel"));
        var first = await SignInAsync(TestUsers.Alice);
        var second = await SignInAsync(TestUsers.Alice);
        var refreshTokens = (await _bff.SessionsOfAsync(TestUsers.Alice.Id)).Select(s => s.Tokens!.RefreshToken!).ToList();

        await LogoutKit.AdminLogoutAsync(fixture.Idp, TestUsers.Alice.Id);

        Assert.Empty(await _bff.SessionsOfAsync(TestUsers.Alice.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetApiAsync("/bff/user")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetApiAsync("/bff/user")).StatusCode);
        foreach (var refreshToken in refreshTokens)
        {
            Assert.Equal("invalid_grant", await LogoutKit.RefreshErrorAsync(fixture.Authority, refreshToken));
        }
    }
}
