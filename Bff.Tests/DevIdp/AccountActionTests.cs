using System.Net;
using Bff.DevIdp;
using Bff.DevIdp.Login;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

/// <summary>
/// Keycloak's application-initiated actions at the DevIdp: <c>kc_action</c> on an authorization request shows
/// the action's page after sign-in, and the redirect back carries the code with <c>kc_action</c> and
/// <c>kc_action_status</c>. Each test has its own DevIdp, because the actions change or delete the user.
/// </summary>
public sealed class AccountActionTests : IAsyncLifetime
{
    private static readonly TestUser Erin = TestUsers.Erin;

    private DevIdpServer idp = null!;

    public async Task InitializeAsync() => idp = await DevIdpServer.StartAsync(new DevIdpServerOptions());

    public async Task DisposeAsync() => await idp.DisposeAsync();

    [Fact]
    public async Task Update_password_answers_success_and_only_the_new_password_signs_in_afterwards()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var page = await ActionPageAsync(browser, request, "UPDATE_PASSWORD", "kc-passwd-update-form");

        var answer = await SubmitAsync(browser, request, page.Set("password-new", "erin-new-password").Set("password-confirm", "erin-new-password"));

        Assert.Equal("UPDATE_PASSWORD", answer["kc_action"]);
        Assert.Equal("success", answer["kc_action_status"]);
        Assert.False((await CodeFlow.RedeemAsync(idp, answer["code"], request)).IsError);
        Assert.Equal("invalid_grant", (await CodeFlow.PasswordAsync(idp, Erin)).Error);
        Assert.False((await CodeFlow.PasswordAsync(idp, Erin with { Password = "erin-new-password" })).IsError);
    }

    [Fact]
    public async Task Passwords_that_differ_are_refused_on_the_page_and_change_nothing()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var page = await ActionPageAsync(browser, request, "UPDATE_PASSWORD", "kc-passwd-update-form");

        using var again = await browser.SubmitAsync(page.Set("password-new", "one").Set("password-confirm", "other"), followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Passwords don&#x27;t match.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await CodeFlow.PasswordAsync(idp, Erin)).IsError);
    }

    [Fact]
    public async Task Cancel_answers_cancelled_with_a_code_and_changes_nothing()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var page = await ActionPageAsync(browser, request, "UPDATE_PASSWORD", "kc-passwd-update-form");

        var answer = await SubmitAsync(browser, request, page.Set("password-new", "x").Set("password-confirm", "x").Set("cancel-aia", "true"));

        Assert.Equal(("UPDATE_PASSWORD", "cancelled"), (answer["kc_action"], answer["kc_action_status"]));
        Assert.False((await CodeFlow.RedeemAsync(idp, answer["code"], request)).IsError);
        Assert.False((await CodeFlow.PasswordAsync(idp, Erin)).IsError);
    }

    [Fact]
    public async Task Update_profile_changes_the_names_in_the_tokens_it_answers_with()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var page = await ActionPageAsync(browser, request, "UPDATE_PROFILE", "kc-update-profile-form");
        Assert.Equal(("Erin", "Evans"), (page["firstName"], page["lastName"]));

        var answer = await SubmitAsync(browser, request, page.Set("firstName", "Erina").Set("lastName", "Ewing"));

        Assert.Equal("success", answer["kc_action_status"]);
        var idToken = CodeFlow.Payload((await CodeFlow.RedeemAsync(idp, answer["code"], request)).IdentityToken!);
        Assert.Equal(("Erina", "Ewing"), (idToken.GetProperty("given_name").GetString(), idToken.GetProperty("family_name").GetString()));
    }

    [Fact]
    public async Task Update_email_sets_an_unverified_address_and_refuses_one_another_user_has()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var page = await ActionPageAsync(browser, request, "UPDATE_EMAIL", "kc-update-email-form");

        using var taken = await browser.SubmitAsync(page.Set("email", TestUsers.Bob.Email), followRedirects: false);
        Assert.Contains("Email already exists.", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var retry = await HtmlForm.ParseAsync(taken, "kc-update-email-form");
        var answer = await SubmitAsync(browser, request, retry.Set("email", "erin.evans@example.org"));

        Assert.Equal(("UPDATE_EMAIL", "success"), (answer["kc_action"], answer["kc_action_status"]));
        var idToken = CodeFlow.Payload((await CodeFlow.RedeemAsync(idp, answer["code"], request)).IdentityToken!);
        Assert.Equal("erin.evans@example.org", idToken.GetProperty("email").GetString());
        Assert.False(idToken.GetProperty("email_verified").GetBoolean());
    }

    [Fact]
    public async Task Configure_totp_accepts_a_code_for_the_shown_secret_and_a_step_up_sign_in_then_asks_for_one()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        var page = await ActionPageAsync(browser, request, "CONFIGURE_TOTP", "kc-totp-settings-form");
        var secret = page["totpSecret"]!;

        using var wrong = await browser.SubmitAsync(page.Set("totp", "000000"), followRedirects: false);
        Assert.Contains("Invalid authenticator code.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var answer = await SubmitAsync(browser, request, (await HtmlForm.ParseAsync(wrong, "kc-totp-settings-form")).Set("totp", DevIdpTotp.Code(secret, DateTimeOffset.UtcNow)));
        Assert.Equal(("CONFIGURE_TOTP", "success"), (answer["kc_action"], answer["kc_action_status"]));

        // The realm steps up by level: the authenticator is asked for at level 2.
        using var other = new BrowserClient();
        var stepUp = new Uri(new AuthorizeRequest().ToUri(idp.Endpoint("auth")).AbsoluteUri + "&acr_values=2");
        using var next = await KeycloakLoginForm.SignInAsync(other, stepUp, Erin, followRedirects: false);
        Assert.Contains("id=\"kc-otp-login-form\"", await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_account_asks_for_the_password_again_then_deletes_the_user_and_does_not_redirect_back()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp, Erin, new AuthorizeRequest());
        Assert.Equal(1, idp.ActiveSessions(TestClients.Realm, Erin.Id));

        // A live SSO session is not enough to delete an account: the login form comes first.
        var request = new AuthorizeRequest();
        using var login = await browser.GetAsync(WithAction(request, "delete_account"));
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(login));
        using var confirm = await KeycloakLoginForm.SubmitAsync(browser, login, Erin.Username, Erin.Password, followRedirects: false);
        var page = await HtmlForm.ParseAsync(confirm, "kc-delete-account-form");

        using var deleted = await browser.SubmitAsync(page, followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Contains("User deleted successfully", await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, idp.ActiveSessions(TestClients.Realm, Erin.Id));
        Assert.Equal("invalid_grant", (await CodeFlow.RefreshAsync(idp, tokens.RefreshToken!)).Error);
        Assert.Equal("invalid_grant", (await CodeFlow.PasswordAsync(idp, Erin)).Error);
    }

    [Fact]
    public async Task Delete_account_is_refused_to_a_user_without_the_delete_account_role()
    {
        using var browser = new BrowserClient();
        using var page = await KeycloakLoginForm.SignInAsync(browser, WithAction(new AuthorizeRequest(), "delete_account"), TestUsers.Bob, followRedirects: false);

        Assert.Contains("You do not have sufficient privileges to delete your own account", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await CodeFlow.PasswordAsync(idp, TestUsers.Bob)).IsError);
    }

    [Fact]
    public async Task An_action_the_realm_does_not_offer_answers_error_at_once_without_kc_action()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest();
        using var response = await KeycloakLoginForm.SignInAsync(browser, WithAction(request, "NO_SUCH_ACTION"), Erin, followRedirects: false);

        var answer = await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!);

        Assert.Equal("error", answer["kc_action_status"]);
        Assert.False(answer.ContainsKey("kc_action"));
        Assert.False((await CodeFlow.RedeemAsync(idp, answer["code"], request)).IsError);
    }

    private Uri WithAction(AuthorizeRequest request, string action) =>
        new(request.ToUri(idp.Endpoint("auth")).AbsoluteUri + "&kc_action=" + Uri.EscapeDataString(action));

    /// <summary>Signs Erin in with an authorization request asking for <paramref name="action"/> and returns the action's form.</summary>
    private async Task<HtmlForm> ActionPageAsync(BrowserClient browser, AuthorizeRequest request, string action, string formId)
    {
        using var page = await KeycloakLoginForm.SignInAsync(browser, WithAction(request, action), Erin, followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await HtmlForm.ParseAsync(page, formId);
    }

    private static async Task<Dictionary<string, string>> SubmitAsync(BrowserClient browser, AuthorizeRequest request, HtmlForm form)
    {
        using var response = await browser.SubmitAsync(form, followRedirects: false);
        return await CodeFlow.ReadAuthorizationResponseAsync(response, request.RedirectUri!);
    }
}
