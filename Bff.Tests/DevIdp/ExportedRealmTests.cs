using System.Net;
using Bff.DevIdp;
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

        var tokens = await LoginAsync(browser, ExportedRealms.AcmePortal, request, ExportedRealms.Ian);

        Assert.Equal(ExportedRealms.Ian.Id, CodeFlow.Payload(tokens.AccessToken!).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_redirect_uri_outside_the_root_url_is_refused_before_any_login_page()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = ExportedRealms.AcmePortal.ClientId, RedirectUri = "http://localhost:5001/signin-oidc" };

        var response = await browser.GetAsync(request.ToUri(idp.Server.Endpoint("auth", "acme")), followRedirects: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<TokenResponse> LoginAsync(BrowserClient browser, ExportedClient client, AuthorizeRequest request, ExportedUser user)
    {
        var login = await KeycloakLoginForm.SignInAsync(browser, request.ToUri(idp.Server.Endpoint("auth", client.Realm)), user.Username, user.Password, followRedirects: false);
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
