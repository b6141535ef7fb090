using System.Net;
using System.Net.Http.Json;
using Bff.Tests.TestInfra;
using Duende.IdentityModel.Client;

namespace Bff.Tests.DevIdp;

/// <summary>The DevIdp serving realm exports exactly as Keycloak 26 writes them: hashed passwords, built-in clients.</summary>
public class ExportedRealmTests(ExportedRealmsFixture idp) : IClassFixture<ExportedRealmsFixture>
{
    public static TheoryData<string> EnabledUsers() => [.. ExportedRealms.All.Where(u => u.Enabled).Select(u => u.Username)];

    public static TheoryData<string> DisabledUsers() => [.. ExportedRealms.All.Where(u => !u.Enabled).Select(u => u.Username)];

    [Theory]
    [MemberData(nameof(EnabledUsers))]
    public async Task Password_grant_through_the_public_admin_cli_client_verifies_the_exported_hash(string username)
    {
        var user = User(username);

        var tokens = await AdminCliPasswordAsync(user.Realm, user.Username, user.Password);

        Assert.False(tokens.IsError, $"{user}: {tokens.Error} {tokens.ErrorDescription}");
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));

        // admin-cli issues lightweight access tokens (as in Keycloak 24+), so the user shows in the ID token.
        var id = CodeFlow.Payload(tokens.IdentityToken!);
        Assert.Equal(user.Id, id.GetProperty("sub").GetString());
        Assert.Equal(idp.Server.Authority(user.Realm).AbsoluteUri, id.GetProperty("iss").GetString());
        Assert.Equal("admin-cli", id.GetProperty("azp").GetString());
    }

    [Theory]
    [MemberData(nameof(EnabledUsers))]
    public async Task A_wrong_password_is_refused(string username)
    {
        var user = User(username);

        // One character off, and the right password of another user of the realm.
        var offByOne = await AdminCliPasswordAsync(user.Realm, user.Username, user.Password[..^1] + "X");
        var other = ExportedRealms.All.First(u => u.Realm == user.Realm && u != user);
        var someoneElses = await AdminCliPasswordAsync(user.Realm, user.Username, other.Password);

        foreach (var tokens in new[] { offByOne, someoneElses })
        {
            Assert.Equal("invalid_grant", tokens.Error);
            Assert.Equal("Invalid user credentials", tokens.ErrorDescription);
            Assert.Null(tokens.AccessToken);
        }
    }

    [Theory]
    [MemberData(nameof(DisabledUsers))]
    public async Task A_disabled_user_is_refused_with_the_right_password(string username)
    {
        var user = User(username);

        var tokens = await AdminCliPasswordAsync(user.Realm, user.Username, user.Password);

        Assert.Equal("invalid_grant", tokens.Error);
        Assert.Equal("Account disabled", tokens.ErrorDescription);
        Assert.Null(tokens.AccessToken);
    }

    [Fact]
    public async Task An_unknown_user_gets_the_answer_a_wrong_password_gets()
    {
        var tokens = await AdminCliPasswordAsync("acme", "nobody", "whatever");

        Assert.Equal("invalid_grant", tokens.Error);
        Assert.Equal("Invalid user credentials", tokens.ErrorDescription);
    }

    [Fact]
    public async Task Users_of_one_realm_cannot_sign_in_to_the_other()
    {
        var tokens = await AdminCliPasswordAsync("globex", ExportedRealms.Ada.Username, ExportedRealms.Ada.Password);

        Assert.Equal("invalid_grant", tokens.Error);
    }

    [Fact]
    public async Task Client_credentials_of_the_exported_service_account_client()
    {
        using var http = new HttpClient();
        var tokens = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = idp.Server.Endpoint("token", "acme").AbsoluteUri,
            ClientId = ExportedRealms.AcmeWorker.ClientId,
            ClientSecret = ExportedRealms.AcmeWorker.Secret,
        });

        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        Assert.Equal(ExportedRealms.AcmeWorkerServiceAccountId, CodeFlow.Payload(tokens.AccessToken!).GetProperty("sub").GetString());
    }

    [Theory]
    [InlineData("acme", "account")]
    [InlineData("acme", "account-console")]
    [InlineData("globex", "security-admin-console")]
    public async Task Built_in_clients_without_direct_access_grants_refuse_the_password_grant(string realm, string clientId)
    {
        var tokens = await PasswordAsync(realm, clientId, ExportedRealms.Ada.Username, ExportedRealms.Ada.Password);

        Assert.Equal("unauthorized_client", tokens.Error);
    }

    [Theory]
    [InlineData("acme", "realms/acme/account/", true)]
    [InlineData("acme", "realms/acme/account/#/personal-info", false)]
    [InlineData("acme", "realms/globex/account/", false)]
    [InlineData("globex", "realms/globex/account/applications", true)]
    public async Task Account_console_redirects_resolve_against_the_DevIdps_own_address(string realm, string path, bool allowed)
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = "account-console", RedirectUri = new Uri(idp.Server.BaseAddress, path).AbsoluteUri };

        var response = await browser.GetAsync(request.ToUri(idp.Server.Endpoint("auth", realm)));

        Assert.Equal(allowed, await KeycloakLoginForm.IsLoginPageAsync(response));
    }

    [Fact]
    public async Task Account_console_requires_pkce_s256()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest
        {
            ClientId = "account-console", RedirectUri = new Uri(idp.Server.BaseAddress, "realms/acme/account/").AbsoluteUri, CodeChallengeMethod = null,
        };

        var response = await browser.GetAsync(request.ToUri(idp.Server.Endpoint("auth", "acme")), followRedirects: false);

        Assert.False(await KeycloakLoginForm.IsLoginPageAsync(response));
        Assert.Contains("code_challenge", response.Headers.Location?.Query ?? await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_only_built_in_clients_cannot_get_tokens()
    {
        var tokens = await PasswordAsync("acme", "realm-management", ExportedRealms.Ada.Username, ExportedRealms.Ada.Password);

        Assert.True(tokens.IsError);
        Assert.Null(tokens.AccessToken);
    }

    [Fact]
    public async Task Code_flow_with_pkce_through_globex_web_whose_redirect_uris_are_a_full_wildcard()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = ExportedRealms.GlobexWeb.ClientId, RedirectUri = "https://app.globex.test/signin-oidc" };

        var tokens = await LoginAsync(browser, ExportedRealms.GlobexWeb, request, ExportedRealms.Gina);

        Assert.Equal(ExportedRealms.Gina.Id, CodeFlow.Payload(tokens.IdentityToken!).GetProperty("sub").GetString());
        Assert.Equal(request.Nonce, CodeFlow.Payload(tokens.IdentityToken!).GetProperty("nonce").GetString());
    }

    [Fact]
    public async Task Code_flow_with_pkce_through_acme_portal_whose_redirect_uris_are_relative_to_its_root_url()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = ExportedRealms.AcmePortal.ClientId, RedirectUri = "http://localhost:5000/signin-oidc" };

        var tokens = await LoginAsync(browser, ExportedRealms.AcmePortal, request, ExportedRealms.Ian, pushed: true);

        Assert.Equal(ExportedRealms.Ian.Id, CodeFlow.Payload(tokens.AccessToken!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Acme_portal_requires_pushed_authorization_requests_so_a_front_channel_request_is_refused()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = ExportedRealms.AcmePortal.ClientId, RedirectUri = "http://localhost:5000/signin-oidc" };

        var response = await browser.GetAsync(request.ToUri(idp.Server.Endpoint("auth", "acme")), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Pushed Authorization Request is only allowed.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Client_access_token_lifespan_overrides_the_realms_and_client_session_idle_shortens_refresh_tokens()
    {
        using var browser = new BrowserClient();
        var portal = await LoginAsync(browser, ExportedRealms.AcmePortal,
            new AuthorizeRequest { ClientId = ExportedRealms.AcmePortal.ClientId, RedirectUri = "http://localhost:5000/signin-oidc" }, ExportedRealms.Tess, pushed: true);
        using var other = new BrowserClient();
        var web = await LoginAsync(other, ExportedRealms.GlobexWeb,
            new AuthorizeRequest { ClientId = ExportedRealms.GlobexWeb.ClientId, RedirectUri = "https://app.globex.test/cb" }, ExportedRealms.Gina);

        // acme-portal: access.token.lifespan 120 (realm 300); globex: realm accessTokenLifespan 600.
        Assert.Equal(120, portal.ExpiresIn);
        Assert.Equal(120, Lifetime(CodeFlow.Payload(portal.AccessToken!)));
        Assert.Equal(600, web.ExpiresIn);
        Assert.Equal(600, Lifetime(CodeFlow.Payload(web.AccessToken!)));

        // acme-portal: client.session.idle.timeout 1200 under the realm's SSO idle 1800; globex: SSO idle 3600.
        Assert.InRange(await RefreshLifetimeAsync(ExportedRealms.AcmePortal, portal.RefreshToken!), 1195, 1200);
        Assert.InRange(await RefreshLifetimeAsync(ExportedRealms.GlobexWeb, web.RefreshToken!), 3595, 3600);
    }

    private async Task<long> RefreshLifetimeAsync(ExportedClient client, string refreshToken)
    {
        using var http = new HttpClient();
        var introspection = await http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = idp.Server.Endpoint("token/introspect", client.Realm).AbsoluteUri,
            ClientId = client.ClientId,
            ClientSecret = client.Secret,
            Token = refreshToken,
        });
        Assert.True(introspection.IsActive, introspection.Raw);
        return Lifetime(introspection.Json!.Value);
    }

    private static long Lifetime(System.Text.Json.JsonElement claims) =>
        claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64();

    [Theory]
    [InlineData("https://spa.acme.test/application")]
    [InlineData("https://spa.acme.test.evil.test/app/x")]
    [InlineData("https://spa.acme.test/app/../admin")]
    [InlineData("https://spa.acme.test/callback/x")]
    public async Task A_redirect_uri_near_the_registered_ones_is_refused_before_any_login_page(string redirectUri)
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = "acme-spa", RedirectUri = redirectUri };

        var response = await browser.GetAsync(request.ToUri(idp.Server.Endpoint("auth", "acme")), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Invalid parameter: redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://spa.acme.test/app/x")]
    [InlineData("https://spa.acme.test/callback")]
    public async Task A_public_client_with_wildcard_and_exact_redirect_uris_shows_the_login_page(string redirectUri)
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = "acme-spa", RedirectUri = redirectUri };

        var response = await browser.GetAsync(request.ToUri(idp.Server.Endpoint("auth", "acme")));

        Assert.True(await KeycloakLoginForm.IsLoginPageAsync(response));
    }

    [Theory]
    [InlineData("acme-spa", "https://spa.acme.test/app/logged-out", true)] // first of a ##-joined list
    [InlineData("acme-spa", "https://spa.acme.test/", true)] // second of it
    [InlineData("acme-spa", "https://spa.acme.test/app/logged-out/x", false)]
    [InlineData("acme-spa", "https://spa.acme.test/app/x", false)] // a redirect URI, but the list has no "+"
    [InlineData("globex-web", "https://anywhere.test/bye", true)] // "+" and redirectUris ["*"]
    [InlineData("admin-cli", "https://anywhere.test/bye", false)] // no post.logout.redirect.uris at all
    public async Task Post_logout_redirect_uris_match_as_keycloak_reads_them(string clientId, string uri, bool allowed)
    {
        var realm = clientId == "globex-web" ? "globex" : "acme";
        using var browser = new BrowserClient();

        var response = await browser.GetAsync(
            new Uri($"{idp.Server.Endpoint("logout", realm)}?client_id={clientId}&post_logout_redirect_uri={Uri.EscapeDataString(uri)}"), followRedirects: false);

        var html = await response.Content.ReadAsStringAsync();
        if (allowed)
        {
            Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain("Invalid redirect uri", html, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("Invalid redirect uri", html, StringComparison.Ordinal);
        }
    }

    private async Task<TokenResponse> LoginAsync(BrowserClient browser, ExportedClient client, AuthorizeRequest request, ExportedUser user, bool pushed = false)
    {
        var start = pushed ? await PushAsync(client, request) : request.ToUri(idp.Server.Endpoint("auth", client.Realm));
        var login = await KeycloakLoginForm.SignInAsync(browser, start, user.Username, user.Password, followRedirects: false);
        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(login, request.RedirectUri!);
        using var http = new HttpClient();
        var tokens = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = idp.Server.Endpoint("token", client.Realm).AbsoluteUri,
            ClientId = client.ClientId,
            ClientSecret = client.Secret,
            Code = parameters["code"],
            RedirectUri = request.RedirectUri!,
            CodeVerifier = request.Verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        return tokens;
    }

    /// <summary>Pushes the request (RFC 9126) as the client and returns the authorize URL that carries only its request_uri.</summary>
    private async Task<Uri> PushAsync(ExportedClient client, AuthorizeRequest request)
    {
        var parameters = System.Web.HttpUtility.ParseQueryString(request.ToUri(idp.Server.Endpoint("auth", client.Realm)).Query);
        var form = parameters.AllKeys.OfType<string>().ToDictionary(k => k, k => parameters[k]!);
        form["client_secret"] = client.Secret;
        using var http = new HttpClient();
        using var response = await http.PostAsync(idp.Server.Endpoint("ext/par/request", client.Realm), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var requestUri = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("request_uri").GetString();
        return new Uri($"{idp.Server.Endpoint("auth", client.Realm)}?client_id={Uri.EscapeDataString(client.ClientId)}&request_uri={Uri.EscapeDataString(requestUri!)}");
    }

    private Task<TokenResponse> AdminCliPasswordAsync(string realm, string username, string password) =>
        PasswordAsync(realm, "admin-cli", username, password);

    private async Task<TokenResponse> PasswordAsync(string realm, string clientId, string username, string password)
    {
        using var http = new HttpClient();
        return await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = idp.Server.Endpoint("token", realm).AbsoluteUri,
            ClientId = clientId,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            UserName = username,
            Password = password,
            Scope = "openid",
        });
    }

    private static ExportedUser User(string username) => ExportedRealms.All.Single(u => u.Username == username);
}
