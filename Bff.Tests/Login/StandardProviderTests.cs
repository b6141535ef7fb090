using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.DevIdp;
using Bff.Sessions;
using Bff.Tests.DevIdp;
using Bff.Tests.TestInfra;
using Bff.Users;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Login;

/// <summary>
/// The BFF against providers that are not shaped like our own realm: one that releases profile claims only from
/// userinfo (Keycloak with "Add to ID token" off), one that sends no user-name claim at all, and one with
/// Keycloak's lightweight access tokens (no roles in the access token). One DevIdp serves the three realms.
/// </summary>
public sealed class StandardProviderTests(StandardProviderTests.Providers providers) : IClassFixture<StandardProviderTests.Providers>, IAsyncLifetime
{
    private const string UserInfoOnly = "userinfo-only";
    private const string NoUserName = "no-username";
    private const string Lightweight = "lightweight";

    private readonly BffTempFolder _folder = new();
    private readonly BrowserClient _browser = new();
    private BffHost? _bff;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        if (_bff is not null)
        {
            await _bff.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task Profile_claims_released_only_by_userinfo_reach_the_local_user_and_the_profile_page()
    {
        // The provider really leaves them out of the ID token.
        var idToken = CodeFlow.Payload((await providers.PasswordGrantAsync(UserInfoOnly)).IdentityToken!);
        Assert.False(idToken.TryGetProperty("preferred_username", out _));
        Assert.False(idToken.TryGetProperty("email", out _));
        Assert.False(idToken.TryGetProperty("given_name", out _));
        var bff = await StartBffAsync(UserInfoOnly);

        var page = await _browser.SignInAsync(bff.BaseAddress, "alice", "alice-password");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/Profile", page.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<td id=\"username\">alice</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td id=\"first-name\">Alice</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td id=\"last-name\">Anderson</td>", html, StringComparison.Ordinal);
        Assert.Contains("alice@example.com (verified)", html, StringComparison.Ordinal);
        var user = await Users(bff).FindBySubjectAsync(providers.Idp.Authority(UserInfoOnly).AbsoluteUri.TrimEnd('/'), TestUsers.Alice.Id);
        Assert.NotNull(user);
        Assert.Equal(("alice", "Alice", "Anderson", "alice@example.com", true), (user.UserName, user.FirstName, user.LastName, user.Email, user.EmailVerified));
    }

    [Fact]
    public async Task With_userinfo_switched_off_the_same_provider_is_refused_without_a_user_row()
    {
        var bff = await StartBffAsync(UserInfoOnly, new() { ["Oidc:UserInfo"] = "Never" });

        var page = await _browser.SignInAsync(bff.BaseAddress, "alice", "alice-password");

        await AssertUserNameRefusalAsync(bff, page);
    }

    [Fact]
    public async Task A_provider_without_any_user_name_claim_is_refused_with_a_readable_page_and_no_user_row()
    {
        var bff = await StartBffAsync(NoUserName);

        var page = await _browser.SignInAsync(bff.BaseAddress, "alice", "alice-password");

        await AssertUserNameRefusalAsync(bff, page);
        Assert.Empty(await bff.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: TestUsers.Alice.Id)));
    }

    [Fact]
    public async Task The_user_name_claims_are_tried_in_order()
    {
        var bff = await StartBffAsync(NoUserName, new() { ["Bff:Users:UserNameClaims:0"] = "preferred_username", ["Bff:Users:UserNameClaims:1"] = "email" });

        var page = await _browser.SignInAsync(bff.BaseAddress, "alice", "alice-password");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var user = Assert.Single(await Users(bff).ListAsync());
        Assert.Equal("alice@example.com", user.UserName);
    }

    [Fact]
    public async Task With_lightweight_access_tokens_the_roles_still_reach_the_principal()
    {
        var accessToken = CodeFlow.Payload((await providers.PasswordGrantAsync(Lightweight)).AccessToken!);
        Assert.False(accessToken.TryGetProperty("realm_access", out _));
        var bff = await StartBffAsync(Lightweight);

        await _browser.SignInAsync(bff.BaseAddress, "alice", "alice-password");
        var claims = await UserClaimsAsync(bff);

        Assert.Contains(("role", "admin"), claims);
        Assert.Contains(("role", "notes-editor"), claims);
        Assert.Contains(("groups", "/staff/engineering"), claims);
        Assert.Contains(("preferred_username", "alice"), claims);
        Assert.Equal(["admin", "user"], (await Users(bff).ListAsync()).Single().Roles.Where(r => r is "admin" or "user").Order());
    }

    [Fact]
    public async Task With_lightweight_access_tokens_and_roles_forced_from_the_access_token_there_are_none()
    {
        var bff = await StartBffAsync(Lightweight, new() { ["Bff:Claims:RolesSource"] = "AccessToken" });

        await _browser.SignInAsync(bff.BaseAddress, "alice", "alice-password");
        var claims = await UserClaimsAsync(bff);

        Assert.Contains(("preferred_username", "alice"), claims);
        Assert.DoesNotContain(claims, c => c.Type == "role");
    }

    private async Task AssertUserNameRefusalAsync(BffHost bff, HttpResponseMessage page)
    {
        Assert.Equal("/Error", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("?error=user_name_missing", page.RequestMessage.RequestUri.Query);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("did not say what your user name is", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(_browser.CookiesFor(bff.BaseAddress)["__Host-bff"]);
        Assert.Empty(await Users(bff).ListAsync());
    }

    private async Task<List<(string Type, string Value)>> UserClaimsAsync(BffHost bff)
    {
        var response = await _browser.GetApiAsync(new Uri(bff.BaseAddress, "/bff/user").AbsoluteUri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).EnumerateArray()
            .Select(c => (c.GetProperty("type").GetString()!, c.GetProperty("value").GetString()!))];
    }

    private static IUserStore Users(BffHost bff) => bff.Services.GetRequiredService<IUserStore>();

    private async Task<BffHost> StartBffAsync(string realm, Dictionary<string, string?>? overrides = null)
    {
        var settings = BffHost.Settings(_folder, providers.Idp.Authority(realm));
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        _bff = await BffHost.StartAsync(settings);
        providers.Idp.AllowRedirectsTo(_bff.BaseAddress, realm);
        return _bff;
    }

    /// <summary>The DevIdp serving the three provider realms, all copies of the bff realm.</summary>
    public sealed class Providers : IAsyncLifetime
    {
        public DevIdpServer Idp { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Idp = await DevIdpFixture.StartAsync(o => o.RealmsPath = RealmFiles.WriteRenamedCopies(
                (UserInfoOnly, realm => WithScopes(realm, ProfileScopes(idToken: false, userName: true))),
                (NoUserName, realm => WithScopes(realm, ProfileScopes(idToken: true, userName: false))),
                (Lightweight, realm => Bff(realm)["attributes"]!["client.use.lightweight.access.token.enabled"] = "true")));

        public async Task DisposeAsync() => await Idp.DisposeAsync();

        public async Task<TokenResponse> PasswordGrantAsync(string realm)
        {
            using var http = new HttpClient();
            var tokens = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
            {
                Address = Idp.Endpoint("token", realm).AbsoluteUri,
                ClientId = TestClients.Bff.ClientId,
                ClientSecret = TestClients.Bff.Secret,
                UserName = TestUsers.Alice.Username,
                Password = TestUsers.Alice.Password,
                Scope = "openid profile email",
            });
            Assert.False(tokens.IsError, tokens.Error);
            return tokens;
        }

        private static JsonObject Bff(JsonObject realm) =>
            realm["clients"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string?)c["clientId"] == "bff");

        private static void WithScopes(JsonObject realm, JsonArray scopes)
        {
            realm["clientScopes"] = scopes;
            Bff(realm)["defaultClientScopes"] = new JsonArray("profile", "email", "roles", "basic");
            Bff(realm)["optionalClientScopes"] = new JsonArray();
        }

        /// <summary>Keycloak's profile, email, roles and basic scopes, with "Add to ID token" as given.</summary>
        private static JsonArray ProfileScopes(bool idToken, bool userName)
        {
            var id = idToken ? "true" : "false";
            string Attribute(string attribute, string claim, string type = "String") => $$"""
                { "name": "{{claim}}", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-attribute-mapper",
                  "config": { "user.attribute": "{{attribute}}", "claim.name": "{{claim}}", "jsonType.label": "{{type}}", "id.token.claim": "{{id}}",
                              "access.token.claim": "true", "userinfo.token.claim": "true", "introspection.token.claim": "true" } }
                """;
            var profile = new List<string> { Attribute("firstName", "given_name"), Attribute("lastName", "family_name") };
            if (userName)
            {
                profile.Add(Attribute("username", "preferred_username"));
            }

            profile.Add($$"""
                { "name": "full name", "protocol": "openid-connect", "protocolMapper": "oidc-full-name-mapper",
                  "config": { "id.token.claim": "{{id}}", "access.token.claim": "true", "userinfo.token.claim": "true" } }
                """);
            return JsonNode.Parse($$"""
                [
                  { "name": "profile", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "true" },
                    "protocolMappers": [ {{string.Join(",", profile)}} ] },
                  { "name": "email", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "true" },
                    "protocolMappers": [ {{Attribute("email", "email")}},
                      { "name": "email verified", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-property-mapper",
                        "config": { "user.attribute": "emailVerified", "claim.name": "email_verified", "jsonType.label": "boolean", "id.token.claim": "{{id}}",
                                    "access.token.claim": "true", "userinfo.token.claim": "true" } } ] },
                  { "name": "roles", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "false" },
                    "protocolMappers": [
                      { "name": "realm roles", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-realm-role-mapper",
                        "config": { "claim.name": "realm_access.roles", "multivalued": "true", "access.token.claim": "true", "introspection.token.claim": "true" } },
                      { "name": "client roles", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-client-role-mapper",
                        "config": { "claim.name": "resource_access.${client_id}.roles", "multivalued": "true", "access.token.claim": "true", "introspection.token.claim": "true" } },
                      { "name": "audience resolve", "protocol": "openid-connect", "protocolMapper": "oidc-audience-resolve-mapper", "config": {} } ] },
                  { "name": "basic", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "false" },
                    "protocolMappers": [
                      { "name": "sub", "protocol": "openid-connect", "protocolMapper": "oidc-sub-mapper", "config": { "access.token.claim": "true", "introspection.token.claim": "true" } } ] }
                ]
                """)!.AsArray();
        }
    }
}
