using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.DevIdp;
using Bff.Tests.TestInfra;
using Duende.IdentityModel.Client;

namespace Bff.Tests.DevIdp;

/// <summary>
/// The claims of the exported acme realm (Keycloak 26's built-in client scopes, composite roles, group roles and
/// a client's own mappers) checked against the export itself: for each user-value mapper in force, the claim is in
/// a token exactly when that mapper's config puts it there, and roles, audiences and groups resolve as Keycloak's.
/// </summary>
public sealed class ExportedRealmClaimsTests : IAsyncLifetime
{
    private const string RedirectUri = "http://localhost:5000/signin-oidc";
    private static readonly ClaimSet[] Targets = [ClaimSet.IdToken, ClaimSet.AccessToken, ClaimSet.UserInfo, ClaimSet.Introspection];

    private DevIdpServer _idp = null!;
    private string _folder = null!;
    private Dictionary<ClaimSet, JsonElement> _ada = [];

    private enum ClaimSet
    {
        IdToken,
        AccessToken,
        UserInfo,
        Introspection,
    }

    public async Task InitializeAsync()
    {
        // The test drives the authorization endpoint itself; the BFF's own login (through PAR) is tested elsewhere.
        _folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(_folder, "acme-realm.json");
        var realm = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        Client(realm, ExportedRealms.AcmePortal.ClientId)["attributes"]!.AsObject().Remove("require.pushed.authorization.requests");
        File.WriteAllText(file, realm.ToJsonString());
        _idp = await ExportedRealms.StartAsync(_folder);
        _ada = await ClaimsOfAdaAsync();
    }

    public async Task DisposeAsync()
    {
        await _idp.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Every_user_value_mapper_of_the_export_puts_its_claim_where_its_config_says()
    {
        var realm = JsonNode.Parse(File.ReadAllText(Path.Combine(ExportedRealms.FolderPath, "acme-realm.json")))!.AsObject();
        var client = Client(realm, ExportedRealms.AcmePortal.ClientId);
        var scopes = client["defaultClientScopes"]!.AsArray().Select(s => (string)s!).ToHashSet(StringComparer.Ordinal);
        var mappers = realm["clientScopes"]!.AsArray().Select(s => s!.AsObject())
            .Where(s => scopes.Contains((string)s["name"]!))
            .SelectMany(s => s["protocolMappers"]?.AsArray() ?? [])
            .Concat(client["protocolMappers"]!.AsArray())
            .Select(m => m!.AsObject())
            .ToList();

        var checkedClaims = 0;
        foreach (var mapper in mappers)
        {
            if (ExpectedValue(mapper) is not { } expected)
            {
                continue;
            }

            var config = mapper["config"]!.AsObject();
            var claim = (string?)config["claim.name"] ?? "name";
            foreach (var target in Targets)
            {
                var present = _ada[target].TryGetProperty(claim, out var actual);
                Assert.True(Includes(config, target) == present, $"{mapper["name"]} ({claim}) in {target}: config says {Includes(config, target)}");
                if (present)
                {
                    Assert.Equal(expected, actual.ValueKind == JsonValueKind.String ? actual.GetString() : actual.GetRawText());
                }

                checkedClaims++;
            }
        }

        Assert.True(checkedClaims >= 4 * 8, $"only {checkedClaims} claim placements were checked");
    }

    [Fact]
    public void Roles_resolve_composites_default_roles_and_group_roles_into_the_access_token_only()
    {
        var access = _ada[ClaimSet.AccessToken];

        // manager is a composite holding employee; /engineering/platform grants acme-portal's editor, its parent
        // /engineering employee and acme-portal's reader; default-roles-acme holds offline_access, uma_authorization and
        // account's view-profile and manage-account, which holds manage-account-links.
        Assert.Equal(["default-roles-acme", "employee", "manager", "offline_access", "uma_authorization"],
            Strings(access.GetProperty("realm_access").GetProperty("roles")).Order());
        Assert.Equal(["approver", "editor", "reader"], Strings(access.GetProperty("resource_access").GetProperty("acme-portal").GetProperty("roles")).Order());
        Assert.Equal(["manage-account", "manage-account-links", "view-profile"],
            Strings(access.GetProperty("resource_access").GetProperty("account").GetProperty("roles")).Order());
        Assert.Equal(["account", "acme-portal"], Strings(access.GetProperty("aud")).Order());
        Assert.Equal(["http://localhost:5000"], Strings(access.GetProperty("allowed-origins")));
        Assert.Equal("openid profile email", access.GetProperty("scope").GetString());
        Assert.Equal("Bearer", access.GetProperty("typ").GetString());
        Assert.Equal("acme-portal", access.GetProperty("azp").GetString());
        Assert.True(access.TryGetProperty("sid", out _));

        foreach (var target in new[] { ClaimSet.IdToken, ClaimSet.UserInfo })
        {
            Assert.False(_ada[target].TryGetProperty("realm_access", out _), $"realm_access in {target}");
            Assert.False(_ada[target].TryGetProperty("resource_access", out _), $"resource_access in {target}");
        }

        Assert.Contains("manager", Strings(_ada[ClaimSet.Introspection].GetProperty("realm_access").GetProperty("roles")));
        Assert.Equal("acme-portal", _ada[ClaimSet.IdToken].GetProperty("aud").GetString());
    }

    [Fact]
    public void Groups_are_full_paths_in_every_token_the_client_s_group_mapper_names()
    {
        foreach (var target in Targets)
        {
            Assert.Equal(["/engineering/platform"], Strings(_ada[target].GetProperty("groups")));
        }
    }

    [Fact]
    public async Task A_service_account_token_carries_the_service_account_scope_s_session_notes_and_its_roles()
    {
        using var http = new HttpClient();
        var tokens = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = _idp.Endpoint("token", "acme").AbsoluteUri,
            ClientId = ExportedRealms.AcmeWorker.ClientId,
            ClientSecret = ExportedRealms.AcmeWorker.Secret,
        });
        Assert.False(tokens.IsError, tokens.Error);
        var access = CodeFlow.Payload(tokens.AccessToken!);

        Assert.Equal(ExportedRealms.AcmeWorkerServiceAccountId, access.GetProperty("sub").GetString());
        Assert.Equal("acme-worker", access.GetProperty("client_id").GetString());
        Assert.True(access.TryGetProperty("clientHost", out _));
        Assert.Equal("service-account-acme-worker", access.GetProperty("preferred_username").GetString());
        Assert.Equal(["jobs-runner"], Strings(access.GetProperty("resource_access").GetProperty("acme-worker").GetProperty("roles")));
        // realm-management's view-users is a composite of query-users and query-groups.
        Assert.Equal(["query-groups", "query-users", "view-users"], Strings(access.GetProperty("resource_access").GetProperty("realm-management").GetProperty("roles")).Order());
    }

    private async Task<Dictionary<ClaimSet, JsonElement>> ClaimsOfAdaAsync()
    {
        using var browser = new BrowserClient();
        var request = new AuthorizeRequest { ClientId = ExportedRealms.AcmePortal.ClientId, RedirectUri = RedirectUri, Scope = "openid" };
        var login = await KeycloakLoginForm.SignInAsync(browser, request.ToUri(_idp.Endpoint("auth", "acme")), ExportedRealms.Ada.Username, ExportedRealms.Ada.Password, followRedirects: false);
        var parameters = await CodeFlow.ReadAuthorizationResponseAsync(login, RedirectUri);
        using var http = new HttpClient();
        var tokens = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = _idp.Endpoint("token", "acme").AbsoluteUri,
            ClientId = ExportedRealms.AcmePortal.ClientId,
            ClientSecret = ExportedRealms.AcmePortal.Secret,
            Code = parameters["code"],
            RedirectUri = RedirectUri,
            CodeVerifier = request.Verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);

        var userInfo = await http.GetUserInfoAsync(new UserInfoRequest { Address = _idp.Endpoint("userinfo", "acme").AbsoluteUri, Token = tokens.AccessToken });
        Assert.False(userInfo.IsError, userInfo.Error);
        var introspection = await http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = _idp.Endpoint("token/introspect", "acme").AbsoluteUri,
            ClientId = ExportedRealms.AcmePortal.ClientId,
            ClientSecret = ExportedRealms.AcmePortal.Secret,
            Token = tokens.AccessToken!,
        });
        Assert.True(introspection.IsActive, introspection.Raw);
        return new()
        {
            [ClaimSet.IdToken] = CodeFlow.Payload(tokens.IdentityToken!),
            [ClaimSet.AccessToken] = CodeFlow.Payload(tokens.AccessToken!),
            [ClaimSet.UserInfo] = userInfo.Json!.Value,
            [ClaimSet.Introspection] = introspection.Json!.Value,
        };
    }

    // Keycloak's reading of a mapper's switches: "true" or not; userinfo follows the ID token and introspection the
    // access token when their own key is absent.
    private static bool Includes(JsonObject config, ClaimSet target)
    {
        bool On(string key) => string.Equals((string?)config[key], "true", StringComparison.Ordinal);
        return target switch
        {
            ClaimSet.IdToken => On("id.token.claim"),
            ClaimSet.AccessToken => On("access.token.claim"),
            ClaimSet.UserInfo => config.ContainsKey("userinfo.token.claim") ? On("userinfo.token.claim") : On("id.token.claim"),
            _ => config.ContainsKey("introspection.token.claim") ? On("introspection.token.claim") : On("access.token.claim"),
        };
    }

    /// <summary>What ada's claim must be for a mapper reading a user value, or null (another kind, or no value).</summary>
    private static string? ExpectedValue(JsonObject mapper)
    {
        var attribute = (string?)mapper["config"]?["user.attribute"];
        return ((string?)mapper["protocolMapper"], attribute) switch
        {
            ("oidc-full-name-mapper", _) => "Ada Lovelace",
            ("oidc-usermodel-attribute-mapper" or "oidc-usermodel-property-mapper", "username") => "ada",
            ("oidc-usermodel-attribute-mapper" or "oidc-usermodel-property-mapper", "firstName") => "Ada",
            ("oidc-usermodel-attribute-mapper" or "oidc-usermodel-property-mapper", "lastName") => "Lovelace",
            ("oidc-usermodel-attribute-mapper" or "oidc-usermodel-property-mapper", "email") => "ada@acme.test",
            ("oidc-usermodel-property-mapper", "emailVerified") => "true",
            ("oidc-usermodel-attribute-mapper", "locale") => "en",
            ("oidc-usermodel-attribute-mapper", "department") => "Research",
            _ => null,
        };
    }

    private static JsonObject Client(JsonObject realm, string clientId) =>
        realm["clients"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string?)c["clientId"] == clientId);

    private static List<string> Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray().Select(e => e.GetString()!)] : [element.GetString()!];
}
