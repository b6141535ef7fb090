using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.DevIdp.Login;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Login;

/// <summary>
/// Step-up: an endpoint, a page or a remote API route needs Keycloak's Level of Authentication 2 (password and
/// one-time code). A password-only session gets 401 ProblemDetails naming the level on the API and a redirect to
/// the step-up login on a page; the DevIdp then asks only for the one-time code (as a LoA-conditional browser
/// flow does), and the session comes back at acr 2 with the same local user and Keycloak session.
/// </summary>
public sealed class StepUpTests : IAsyncLifetime
{
    // Alice's authenticator secret in this test's realm (Keycloak keeps the raw secret; the key is its UTF-8 bytes).
    private const string OtpSecret = "alice-totp-secret-0123";

    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        bffSettings: new Dictionary<string, string?> { ["Bff:RemoteApis:Secure:Path"] = "/api/secure-remote", ["Bff:RemoteApis:Secure:RequiredAcr"] = "2" },
        idpOptions: options => options.RealmsPath = RealmFiles.WriteEditedCopy(realm =>
        {
            realm["attributes"] = new JsonObject { ["acr.loa.map"] = "{\"1\":1,\"2\":2}" };
            var alice = realm["users"]!.AsArray().Single(u => (string?)u!["username"] == "alice")!;
            alice["credentials"]!.AsArray().Add(new JsonObject
            {
                ["type"] = "otp",
                ["userLabel"] = "phone",
                ["secretData"] = JsonSerializer.Serialize(new { value = OtpSecret }),
                ["credentialData"] = "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\",\"secretEncoding\":\"UTF8\"}",
            });
        }),
        configure: builder => builder.Configuration["Bff:RemoteApis:Secure:Destination"] = builder.Configuration["Bff:RemoteApis:Remote:Destination"]);

    public async Task DisposeAsync() => await rig.DisposeAsync();

    private static string Code() => DevIdpTotp.Code(OtpSecret, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_password_session_gets_401_naming_the_level_on_the_API_and_a_step_up_redirect_on_the_page()
    {
        using var browser = await rig.SignInAsync("alice");
        Assert.Equal("1", AcrOf(await rig.SessionOfAsync(TestUsers.Alice.Id)));

        var api = await browser.GetApiAsync("/api/security");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("step_up_required", problem.GetProperty("error").GetString());
        Assert.Equal("2", problem.GetProperty("bff:required_acr").GetString());
        Assert.Equal("/bff/login?acr_values=2&returnUrl=%2Fapi%2Fsecurity", problem.GetProperty("bff:login_url").GetString());
        Assert.Contains("insufficient_user_authentication", api.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var page = await browser.GetAsync("/Security?tab=1", followRedirects: false);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/bff/login?acr_values=2&returnUrl=%2FSecurity%3Ftab%3D1", page.Headers.Location!.OriginalString);

        // Signed out: the ordinary answers, not a step-up.
        using var anonymous = new BrowserClient(rig.Bff.BaseAddress);
        var anonymousApi = await anonymous.GetApiAsync("/api/security");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousApi.StatusCode);
        Assert.DoesNotContain("bff:required_acr", await anonymousApi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stepping_up_asks_only_for_the_one_time_code_and_keeps_the_user_and_the_keycloak_session()
    {
        using var browser = await rig.SignInAsync("alice");
        var before = await rig.SessionOfAsync(TestUsers.Alice.Id);
        var userBefore = await UserIdAsync(browser);

        var otpPage = await browser.GetAsync("/bff/login?acr_values=2&returnUrl=%2FSecurity");
        Assert.False(await KeycloakLoginForm.IsLoginPageAsync(otpPage), "the SSO session stands for the password");
        var form = await HtmlForm.ParseAsync(otpPage, "kc-otp-login-form");

        // A wrong code is refused with Keycloak's message; the right one completes the step-up.
        var wrong = await browser.SubmitAsync(form.Set("otp", Code() == "000000" ? "111111" : "000000"));
        Assert.Contains("Invalid authenticator code.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var landed = await browser.SubmitAsync((await HtmlForm.ParseAsync(wrong, "kc-otp-login-form")).Set("otp", Code()));

        Assert.Equal("/Security", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("<td id=\"acr\">2</td>", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.Equal("2", AcrOf(after));
        Assert.Equal("2", AccessTokenClaim(after, "acr"));
        Assert.Equal(AccessTokenClaim(before, "sid"), AccessTokenClaim(after, "sid"));
        Assert.Equal(userBefore, await UserIdAsync(browser));
        Assert.Single(await rig.Sessions.FindAsync(new Bff.Sessions.SessionFilter(Subject: TestUsers.Alice.Id)));

        var api = await browser.GetApiAsync("/api/security");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("2", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("acr").GetString());

        // The level lives with the SSO session: a refreshed token keeps it.
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/api/remote/whoami")).StatusCode);
        Assert.Equal("2", AccessTokenClaim(await rig.SessionOfAsync(TestUsers.Alice.Id), "acr"));
    }

    [Fact]
    public async Task A_remote_api_route_with_RequiredAcr_answers_401_until_the_session_steps_up()
    {
        using var browser = await rig.SignInAsync("alice");

        var refused = await browser.GetApiAsync("/api/secure-remote/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("\"bff:required_acr\":\"2\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var otpPage = await browser.GetAsync("/bff/login?acr_values=2&returnUrl=%2Fapp");
        await browser.SubmitAsync((await HtmlForm.ParseAsync(otpPage, "kc-otp-login-form")).Set("otp", Code()));

        var allowed = await browser.GetApiAsync("/api/secure-remote/whoami");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Each_endpoint_keeps_its_own_cached_policy_request_after_request()
    {
        // The policy provider lets the authorization middleware keep each endpoint's combined policy:
        // the level-2 route must go on refusing and the plain one admitting, in any order.
        using var browser = await rig.SignInAsync("alice");

        for (var round = 0; round < 3; round++)
        {
            using var plain = await browser.GetApiAsync("/api/remote/whoami");
            using var secure = await browser.GetApiAsync("/api/secure-remote/whoami");
            using var user = await browser.GetApiAsync("/bff/user");

            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, secure.StatusCode);
            Assert.Contains("\"bff:required_acr\":\"2\"", await secure.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        }
    }

    [Fact]
    public async Task A_fresh_sign_in_asking_for_level_2_takes_the_password_then_the_code()
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);

        var loginPage = await browser.GetAsync("/bff/login?acr_values=2&returnUrl=%2FSecurity");
        var otpPage = await KeycloakLoginForm.SubmitAsync(browser, loginPage, "alice", TestUsers.Alice.Password);
        var landed = await browser.SubmitAsync((await HtmlForm.ParseAsync(otpPage, "kc-otp-login-form")).Set("otp", Code()));

        Assert.Equal("/Security", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("2", AcrOf(await rig.SessionOfAsync(TestUsers.Alice.Id)));
    }

    [Fact]
    public async Task Silent_step_up_answers_interaction_required_and_the_session_lives_on()
    {
        using var browser = await rig.SignInAsync("alice");

        var landed = await browser.GetAsync("/bff/login?prompt=none&acr_values=2&returnUrl=%2Fapp");

        Assert.Equal("?bff_login=interaction_required", landed.RequestMessage!.RequestUri!.Query);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }

    private static async Task<string> UserIdAsync(BrowserClient browser)
    {
        var claims = JsonDocument.Parse(await (await browser.GetApiAsync("/bff/user")).Content.ReadAsStringAsync()).RootElement;
        return claims.EnumerateArray().Single(c => c.GetProperty("type").GetString() == Bff.Claims.BffClaimTypes.UserId).GetProperty("value").GetString()!;
    }

    private static string? AcrOf(Bff.Sessions.ServerSession session) => JwtClaim(session.Tokens!.IdToken!, "acr");

    private static string? AccessTokenClaim(Bff.Sessions.ServerSession session, string claim) => JwtClaim(session.Tokens!.AccessToken, claim);

    private static string? JwtClaim(string jwt, string claim)
    {
        var payload = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(jwt.Split('.')[1])).RootElement;
        return payload.TryGetProperty(claim, out var value) ? value.GetString() : null;
    }
}
