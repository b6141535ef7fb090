using System.Net;
using System.Text.Json;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Account;

/// <summary>
/// <c>/bff/account/{action}</c> over real HTTP against the DevIdp: the action's page at the identity provider,
/// and back at the return URL with <c>?bff_account={action}&amp;status={status}</c>, signed in as the same user.
/// Each test has its own DevIdp, because the actions change or delete Erin.
/// </summary>
public sealed class AccountActionEndpointTests : IAsyncLifetime
{
    private static readonly TestUser Erin = TestUsers.Erin;

    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?>
    {
        ["Bff:Account:AllowedActions"] = "UPDATE_PASSWORD UPDATE_PROFILE CONFIGURE_TOTP UPDATE_EMAIL delete_account",
    });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Update_password_comes_back_with_success_as_the_same_user_and_only_the_new_password_works()
    {
        using var browser = await rig.SignInAsync(Erin.Username);
        var before = await UserAsync(browser);

        var page = await ActionPageAsync(browser, "/bff/account/UPDATE_PASSWORD?returnUrl=%2Fapp%3Fview%3Dnotes", "kc-passwd-update-form");
        Assert.Equal("UPDATE_PASSWORD", rig.Idp.LastAuthorizationRequest["kc_action"]);
        using var landed = await browser.SubmitAsync(page.Set("password-new", "erin-new-password").Set("password-confirm", "erin-new-password"));

        Assert.Equal("/app", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("?view=notes&bff_account=UPDATE_PASSWORD&status=success", landed.RequestMessage.RequestUri.Query);
        var after = await UserAsync(browser);
        Assert.Equal((Claim(before, "sub"), Claim(before, "bff_user_id")), (Claim(after, "sub"), Claim(after, "bff_user_id")));
        Assert.True((await rig.PasswordGrantAsync(Erin.Username, "erin-new-password")).TryGetProperty("access_token", out _));
        await Assert.ThrowsAsync<HttpRequestException>(() => rig.PasswordGrantAsync(Erin.Username));
    }

    [Fact]
    public async Task Cancel_comes_back_with_cancelled_still_signed_in()
    {
        using var browser = await rig.SignInAsync(Erin.Username);

        var page = await ActionPageAsync(browser, "/bff/account/UPDATE_PASSWORD?returnUrl=%2FProfile", "kc-passwd-update-form");
        using var landed = await browser.SubmitAsync(page.Set("cancel-aia", "true"));

        Assert.Equal("/Profile?bff_account=UPDATE_PASSWORD&status=cancelled", landed.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Contains("cancelled", await landed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task Update_profile_shows_the_new_name_in_bff_user()
    {
        using var browser = await rig.SignInAsync(Erin.Username);

        var page = await ActionPageAsync(browser, "/bff/account/UPDATE_PROFILE?returnUrl=%2Fapp", "kc-update-profile-form");
        using var landed = await browser.SubmitAsync(page.Set("firstName", "Erina").Set("lastName", "Ewing"));

        Assert.Equal("?bff_account=UPDATE_PROFILE&status=success", landed.RequestMessage!.RequestUri!.Query);
        Assert.Equal("Erina", Claim(await UserAsync(browser), "given_name"));
    }

    [Fact]
    public async Task Delete_account_ends_the_session_at_once_and_the_user_can_no_longer_sign_in()
    {
        using var browser = await rig.SignInAsync(Erin.Username);

        // Keycloak asks for the password again before a deletion, and never redirects back after it.
        using var login = await browser.GetAsync("/bff/account/delete_account?returnUrl=%2Fapp");
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(login));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);
        using var confirm = await KeycloakLoginForm.SubmitAsync(browser, login, Erin.Username, Erin.Password);
        using var deleted = await browser.SubmitAsync(await HtmlForm.ParseAsync(confirm, "kc-delete-account-form"));

        Assert.Contains("User deleted successfully", await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);
        using var again = new BrowserClient(rig.Bff.BaseAddress);
        using var refused = await again.SignInAsync(rig.Bff.BaseAddress, Erin.Username, Erin.Password, "/app");
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(refused), "a deleted user gets the login form back");
    }

    [Fact]
    public async Task A_cancelled_deletion_signs_the_same_user_in_again()
    {
        using var browser = await rig.SignInAsync(Erin.Username);
        var before = await UserAsync(browser);

        using var login = await browser.GetAsync("/bff/account/delete_account?returnUrl=%2Fapp");
        using var confirm = await KeycloakLoginForm.SubmitAsync(browser, login, Erin.Username, Erin.Password);
        using var landed = await browser.SubmitAsync((await HtmlForm.ParseAsync(confirm, "kc-delete-account-form")).Set("cancel-aia", "true"));

        Assert.Equal("/app?bff_account=delete_account&status=cancelled", landed.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Equal(Claim(before, "bff_user_id"), Claim(await UserAsync(browser), "bff_user_id"));
    }

    [Theory]
    [InlineData("VERIFY_EMAIL")]
    [InlineData("update_password")]
    public async Task An_action_not_in_the_allow_list_gets_400_as_a_page_and_as_problem_details(string action)
    {
        using var browser = await rig.SignInAsync(Erin.Username);
        var pushed = rig.Idp.PushedAuthorizationRequests;

        using var page = await browser.GetAsync($"/bff/account/{action}?returnUrl=%2Fapp", followRedirects: false);
        using var api = await browser.GetApiAsync($"/bff/account/{action}");

        Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (page.StatusCode, page.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
        Assert.Equal(pushed, rig.Idp.PushedAuthorizationRequests);
    }

    [Fact]
    public async Task An_anonymous_caller_gets_401_on_the_api_and_the_login_on_a_page()
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);

        using var api = await browser.GetApiAsync("/bff/account/UPDATE_PASSWORD");
        using var page = await browser.GetAsync("/bff/account/UPDATE_PASSWORD?returnUrl=%2Fapp", followRedirects: false);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/bff/login?returnUrl=" + Uri.EscapeDataString("/bff/account/UPDATE_PASSWORD?returnUrl=%2Fapp"), page.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("https%3A%2F%2Fevil.example%2F")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("%2F%5Cevil.example")]
    public async Task A_return_url_to_another_site_is_refused_before_the_identity_provider_is_asked(string returnUrl)
    {
        using var browser = await rig.SignInAsync(Erin.Username);
        var pushed = rig.Idp.PushedAuthorizationRequests;

        using var response = await browser.GetAsync($"/bff/account/UPDATE_PASSWORD?returnUrl={returnUrl}", followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(pushed, rig.Idp.PushedAuthorizationRequests);
    }

    private static async Task<HtmlForm> ActionPageAsync(BrowserClient browser, string start, string formId)
    {
        using var page = await browser.GetAsync(start);
        return await HtmlForm.ParseAsync(page, formId);
    }

    private static async Task<JsonElement> UserAsync(BrowserClient browser)
    {
        using var response = await browser.GetApiAsync("/bff/user");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static string? Claim(JsonElement user, string type) =>
        user.EnumerateArray().FirstOrDefault(c => c.GetProperty("type").GetString() == type) is { ValueKind: JsonValueKind.Object } claim
            ? claim.GetProperty("value").GetString()
            : null;
}
