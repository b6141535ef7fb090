using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Login;

/// <summary>
/// <c>/bff/login</c> passes prompt, max_age, login_hint and kc_idp_hint to the identity provider only when
/// <c>Bff:Login:AllowedParameters</c> allows them, validated; nothing else from its query reaches the
/// provider. What the DevIdp received is read from the request it handled (restored from PAR).
/// </summary>
public sealed class LoginParameterTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?>
    {
        ["Bff:Login:AllowedParameters"] = "prompt max_age login_hint kc_idp_hint",
    });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Allowed_parameters_reach_the_provider_and_nothing_else_from_the_query_does()
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);

        var page = await browser.GetAsync("/bff/login?returnUrl=%2Fapp&login_hint=bob&kc_idp_hint=corporate&max_age=300"
            + "&kc_action=delete_account&scope=offline_access&redirect_uri=https%3A%2F%2Fevil.example&foo=bar");

        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(page));
        var sent = rig.Idp.LastAuthorizationRequest;
        Assert.Equal("bob", sent["login_hint"]);
        Assert.Equal("corporate", sent["kc_idp_hint"]);
        Assert.Equal("300", sent["max_age"]);
        Assert.False(sent.ContainsKey("kc_action"));
        Assert.False(sent.ContainsKey("foo"));
        Assert.DoesNotContain("offline_access", sent["scope"], StringComparison.Ordinal);
        Assert.EndsWith("/signin-oidc", sent["redirect_uri"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_hint_prefills_the_user_name_as_Keycloak_does()
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);

        var page = await browser.GetAsync("/bff/login?returnUrl=%2Fapp&login_hint=bob");

        var form = await HtmlForm.ParseAsync(page, KeycloakLoginForm.FormId);
        Assert.Equal("bob", form["username"]);
    }

    [Fact]
    public async Task Prompt_login_and_max_age_zero_show_the_form_despite_a_live_sso_session()
    {
        using var browser = await rig.SignInAsync("alice");

        // Without them the SSO session signs the browser in without a page.
        var silent = await browser.GetAsync("/bff/login?returnUrl=%2Fapp");
        Assert.Equal("/app", silent.RequestMessage!.RequestUri!.AbsolutePath);

        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(await browser.GetAsync("/bff/login?returnUrl=%2Fapp&prompt=login")));
        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(await browser.GetAsync("/bff/login?returnUrl=%2Fapp&max_age=0")));
    }

    [Theory]
    [InlineData("prompt=sometimes")]
    [InlineData("prompt=none%20login")]
    [InlineData("max_age=-1")]
    [InlineData("max_age=ten")]
    [InlineData("max_age=99999999999999999999")]
    [InlineData("prompt=login&prompt=none")]
    [InlineData("kc_idp_hint=%3Cscript%3E")]
    [InlineData("acr_values=%22gold%22")]
    public async Task A_bad_value_is_a_readable_400_page_and_nothing_is_sent(string query)
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);
        var pushedBefore = rig.Idp.PushedAuthorizationRequests;

        var page = await browser.GetAsync("/bff/login?returnUrl=%2Fapp&" + query);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"login-refused-reason\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(pushedBefore, rig.Idp.PushedAuthorizationRequests);
    }

    [Fact]
    public async Task A_long_login_hint_is_refused()
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);

        var page = await browser.GetAsync("/bff/login?returnUrl=%2Fapp&login_hint=" + new string('a', 300));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }
}

/// <summary>The default allow-list: kc_idp_hint is the app's to allow.</summary>
public sealed class LoginParameterDefaultTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task A_parameter_outside_the_allow_list_is_refused_with_a_page_naming_the_setting()
    {
        using var browser = new BrowserClient(rig.Bff.BaseAddress);

        var page = await browser.GetAsync("/bff/login?returnUrl=%2Fapp&kc_idp_hint=corporate");

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("Bff:Login:AllowedParameters", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
