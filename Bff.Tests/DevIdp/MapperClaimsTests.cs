using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.DevIdp;
using Bff.DevIdp.Realms;
using Bff.Tests.TestInfra;
using Duende.IdentityModel.Client;

namespace Bff.Tests.DevIdp;

/// <summary>
/// The claims of ID token, access token, userinfo and introspection follow the realm's client scopes and protocol
/// mappers, as Keycloak's do: each assertion below follows from one mapper's config in <see cref="MapperRealm"/>.
/// </summary>
public class MapperClaimsTests
{
    [Fact]
    public async Task Access_token_claims_follow_the_mappers_marked_for_the_access_token()
    {
        await using var idp = await MapperRealm.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Alice, "openid extras");
        Assert.False(tokens.IsError, tokens.Error);
        var access = CodeFlow.Payload(tokens.AccessToken!);

        Assert.Equal("Bearer", access.GetProperty("typ").GetString());
        Assert.Equal("bff", access.GetProperty("azp").GetString());
        Assert.False(string.IsNullOrEmpty(access.GetProperty("sid").GetString()));
        Assert.Equal(TestUsers.Alice.Id, access.GetProperty("sub").GetString());
        Assert.Equal("openid profile extras", access.GetProperty("scope").GetString());
        Assert.Equal("alice", access.GetProperty("preferred_username").GetString());
        Assert.Equal(TestUsers.Alice.FullName, access.GetProperty("name").GetString());
        Assert.False(access.TryGetProperty("profile_flags", out _)); // ID token only
        Assert.False(access.TryGetProperty("email", out _)); // no email scope in this realm's client
        Assert.Contains("admin", Strings(access.GetProperty("realm_access").GetProperty("roles")));

        // Client roles of bff only (usermodel.clientRoleMapping.clientId), prefixed, plus the hardcoded role.
        var resourceAccess = access.GetProperty("resource_access");
        Assert.Equal(["bff-notes-auditor", "bff-notes-editor", "bff-notes-reader"], Strings(resourceAccess.GetProperty("bff").GetProperty("roles")).Order());
        Assert.False(resourceAccess.TryGetProperty("account", out _));
        Assert.False(access.TryGetProperty("app", out _)); // the prefixed realm role mapper is ID token only

        // Audience: the client's audience mapper, audience resolve (account has roles), the custom audience.
        Assert.Equal(["account", "bff", "downstream-api", "https://api.example.com"], Strings(access.GetProperty("aud")).Order());

        Assert.Equal(42, access.GetProperty("tenant").GetProperty("id").GetInt32());
        Assert.Equal("gold", access.GetProperty("tenant").GetProperty("tier").GetString());
        Assert.Equal(["eng", "platform"], Strings(access.GetProperty("org").GetProperty("departments")));
        Assert.Equal(JsonValueKind.Number, access.GetProperty("employee_number").ValueKind);
        Assert.Equal(1001, access.GetProperty("employee_number").GetInt64());
        Assert.Equal(TestUsers.Alice.Groups, Strings(access.GetProperty("groups")));
        Assert.False(access.TryGetProperty("group_names", out _));
        Assert.Equal("yes", access.GetProperty("my.dotted").GetString()); // an escaped dot is part of the name
    }

    [Fact]
    public async Task Id_token_claims_follow_the_mappers_marked_for_the_id_token()
    {
        await using var idp = await MapperRealm.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Alice, "openid extras");
        var id = CodeFlow.Payload(tokens.IdentityToken!);

        Assert.Equal("ID", id.GetProperty("typ").GetString());
        Assert.Equal(TestUsers.Alice.Id, id.GetProperty("sub").GetString());
        Assert.Equal("bff", id.GetProperty("aud").GetString());
        Assert.Equal("alice", id.GetProperty("preferred_username").GetString());
        Assert.True(id.GetProperty("profile_flags").GetProperty("email_verified").GetBoolean());
        Assert.Contains("realm-admin", Strings(id.GetProperty("app").GetProperty("roles")));
        Assert.Equal(["eng", "platform"], Strings(id.GetProperty("org").GetProperty("departments")));
        Assert.True(id.TryGetProperty("auth_time", out _));
        Assert.False(id.TryGetProperty("name", out _));
        Assert.False(id.TryGetProperty("realm_access", out _));
        Assert.False(id.TryGetProperty("resource_access", out _));
        Assert.False(id.TryGetProperty("tenant", out _));
    }

    [Fact]
    public async Task Userinfo_follows_the_userinfo_flag_and_falls_back_to_the_id_token_flag()
    {
        await using var idp = await MapperRealm.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Alice, "openid extras");
        var userInfo = await UserInfoAsync(idp, tokens.AccessToken!);

        Assert.Equal(TestUsers.Alice.Id, userInfo.GetProperty("sub").GetString());
        Assert.Equal(TestUsers.Alice.FullName, userInfo.GetProperty("name").GetString());
        Assert.True(userInfo.GetProperty("profile_flags").GetProperty("email_verified").GetBoolean()); // no userinfo key: follows id.token.claim
        Assert.Equal(["engineering", "staff"], Strings(userInfo.GetProperty("group_names")).Order()); // full.path false
        Assert.Equal("gold", userInfo.GetProperty("tenant").GetProperty("tier").GetString());
        Assert.False(userInfo.TryGetProperty("realm_access", out _));
        Assert.False(userInfo.TryGetProperty("resource_access", out _));
    }

    [Fact]
    public async Task Introspection_follows_the_introspection_flag_and_names_client_and_user()
    {
        await using var idp = await MapperRealm.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Alice, "openid extras");
        var introspection = await CodeFlow.IntrospectAsync(idp, tokens.AccessToken!);

        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal("bff", introspection.GetProperty("client_id").GetString());
        Assert.Equal("alice", introspection.GetProperty("username").GetString());
        Assert.Equal("Bearer", introspection.GetProperty("token_type").GetString());
        Assert.Equal(TestUsers.Alice.Id, introspection.GetProperty("sub").GetString());
        Assert.Contains("admin", Strings(introspection.GetProperty("realm_access").GetProperty("roles")));
        Assert.Equal("gold", introspection.GetProperty("tenant").GetProperty("tier").GetString());
        Assert.False(introspection.TryGetProperty("employee_number", out _)); // introspection.token.claim false
    }

    [Fact]
    public async Task Optional_scope_mappers_run_only_when_the_scope_is_requested()
    {
        await using var idp = await MapperRealm.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Alice, "openid");
        var access = CodeFlow.Payload(tokens.AccessToken!);

        Assert.Equal("openid profile", access.GetProperty("scope").GetString());
        Assert.False(access.TryGetProperty("tenant", out _));
        Assert.False(access.TryGetProperty("org", out _));
        Assert.DoesNotContain("https://api.example.com", Strings(access.GetProperty("aud")));
    }

    [Fact]
    public async Task Unknown_mapper_types_and_missing_scopes_are_warnings_not_errors()
    {
        var folder = RealmFiles.WriteEditedCopy(MapperRealm.Edit);

        var realm = RealmLoader.LoadFile(Path.Combine(folder, "bff-realm.json"));

        Assert.Contains(realm.Warnings, w => w.Contains("oidc-script-based-protocol-mapper", StringComparison.Ordinal)
            && w.Contains("client scope 'extras'", StringComparison.Ordinal));
        Assert.Contains(realm.Warnings, w => w.Contains("client scope 'missing-scope'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Built_in_scopes_of_a_realm_without_client_scopes_give_Keycloak_default_tokens()
    {
        await using var idp = await DevIdpFixture.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Bob, "openid");
        var access = CodeFlow.Payload(tokens.AccessToken!);
        var id = CodeFlow.Payload(tokens.IdentityToken!);
        var userInfo = await UserInfoAsync(idp, tokens.AccessToken!);

        Assert.Equal("openid profile email", access.GetProperty("scope").GetString());
        Assert.Equal(["account", "bff", "downstream-api"], Strings(access.GetProperty("aud")).Order());
        Assert.Contains("default-roles-bff", Strings(access.GetProperty("realm_access").GetProperty("roles")));
        Assert.Equal(["notes-reader"], Strings(access.GetProperty("resource_access").GetProperty("bff").GetProperty("roles")));
        Assert.Equal(["http://localhost:5000"], Strings(access.GetProperty("allowed-origins")));
        Assert.Equal("1", access.GetProperty("acr").GetString());
        Assert.Equal(TestUsers.Bob.Email, access.GetProperty("email").GetString());

        // Role claims are not in the ID token or userinfo by default.
        foreach (var document in new[] { id, userInfo })
        {
            Assert.False(document.TryGetProperty("realm_access", out _));
            Assert.False(document.TryGetProperty("resource_access", out _));
            Assert.Equal("bob", document.GetProperty("preferred_username").GetString());
            Assert.Equal(TestUsers.Bob.FullName, document.GetProperty("name").GetString());
            Assert.True(document.GetProperty("email_verified").GetBoolean());
        }

        Assert.Equal("bff", id.GetProperty("aud").GetString());
        Assert.False(userInfo.TryGetProperty("acr", out _));
    }

    [Fact]
    public async Task Lightweight_access_tokens_carry_only_lightweight_claims_and_introspect_to_all_claims()
    {
        await using var idp = await RealmFiles.StartWithEditedRealmAsync(realm =>
        {
            var client = MapperRealm.BffClient(realm);
            client["attributes"]!["client.use.lightweight.access.token.enabled"] = "true";
            client["protocolMappers"]!.AsArray().Add(JsonNode.Parse("""
                { "name": "lightweight marker", "protocol": "openid-connect", "protocolMapper": "oidc-hardcoded-claim-mapper",
                  "config": { "claim.name": "marker", "claim.value": "light", "jsonType.label": "String",
                              "access.token.claim": "true", "lightweight.claim": "true", "introspection.token.claim": "true" } }
                """));
        });
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Alice, "openid");
        Assert.False(tokens.IsError, tokens.Error);
        var access = CodeFlow.Payload(tokens.AccessToken!);

        Assert.Equal("light", access.GetProperty("marker").GetString());
        Assert.Equal("Bearer", access.GetProperty("typ").GetString());
        Assert.Equal("bff", access.GetProperty("azp").GetString());
        Assert.True(access.TryGetProperty("sid", out _));
        Assert.True(access.TryGetProperty("scope", out _));
        foreach (var claim in new[] { "realm_access", "resource_access", "preferred_username", "email", "groups", "sub", "aud" })
        {
            Assert.False(access.TryGetProperty(claim, out _), claim + " is not in a lightweight access token");
        }

        var introspection = await CodeFlow.IntrospectAsync(idp, tokens.AccessToken!);
        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal(TestUsers.Alice.Id, introspection.GetProperty("sub").GetString());
        Assert.Contains("admin", Strings(introspection.GetProperty("realm_access").GetProperty("roles")));
        Assert.Equal("alice", introspection.GetProperty("preferred_username").GetString());
        Assert.Equal(TestUsers.Alice.Groups, Strings(introspection.GetProperty("groups")));

        var userInfo = await UserInfoAsync(idp, tokens.AccessToken!);
        Assert.Equal(TestUsers.Alice.Id, userInfo.GetProperty("sub").GetString());
        Assert.Equal("alice", userInfo.GetProperty("preferred_username").GetString());
    }

    private static async Task<JsonElement> UserInfoAsync(DevIdpServer idp, string accessToken)
    {
        using var http = new HttpClient();
        var userInfo = await http.GetUserInfoAsync(new UserInfoRequest { Address = idp.Endpoint("userinfo").AbsoluteUri, Token = accessToken });
        Assert.False(userInfo.IsError, userInfo.Error + " " + userInfo.Raw);
        return userInfo.Json!.Value;
    }

    private static List<string> Strings(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(e => e.GetString()!).ToList() : [element.GetString()!];
}

/// <summary>The bff realm with client scopes of its own, holding a mapper of each kind the tests check.</summary>
internal static class MapperRealm
{
    public static Task<DevIdpServer> StartAsync() => RealmFiles.StartWithEditedRealmAsync(Edit);

    public static JsonObject BffClient(JsonObject realm) =>
        realm["clients"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string?)c["clientId"] == "bff");

    public static void Edit(JsonObject realm)
    {
        realm["clientScopes"] = JsonNode.Parse(ClientScopes);
        var client = BffClient(realm);
        client["defaultClientScopes"] = new JsonArray("profile", "roles", "basic", "role_list");
        client["optionalClientScopes"] = new JsonArray("extras", "missing-scope");
        var alice = realm["users"]!.AsArray().Select(u => u!.AsObject()).Single(u => (string?)u["username"] == "alice");
        alice["attributes"] = JsonNode.Parse("""{ "department": [ "eng", "platform" ], "employeeNumber": [ "1001" ] }""");
    }

    private const string ClientScopes = """
        [
          { "name": "profile", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "true" },
            "protocolMappers": [
              { "name": "username", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-attribute-mapper",
                "config": { "user.attribute": "username", "claim.name": "preferred_username", "jsonType.label": "String",
                            "id.token.claim": "true", "access.token.claim": "true", "userinfo.token.claim": "true", "introspection.token.claim": "true" } },
              { "name": "full name", "protocol": "openid-connect", "protocolMapper": "oidc-full-name-mapper",
                "config": { "id.token.claim": "false", "access.token.claim": "true", "userinfo.token.claim": "true" } },
              { "name": "email verified nested", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-property-mapper",
                "config": { "user.attribute": "emailVerified", "claim.name": "profile_flags.email_verified", "jsonType.label": "boolean", "id.token.claim": "true" } }
            ] },
          { "name": "roles", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "false" },
            "protocolMappers": [
              { "name": "realm roles", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-realm-role-mapper",
                "config": { "claim.name": "realm_access.roles", "jsonType.label": "String", "multivalued": "true", "access.token.claim": "true", "introspection.token.claim": "true" } },
              { "name": "prefixed realm roles", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-realm-role-mapper",
                "config": { "claim.name": "app.roles", "multivalued": "true", "usermodel.realmRoleMapping.rolePrefix": "realm-",
                            "id.token.claim": "true", "access.token.claim": "false" } },
              { "name": "client roles", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-client-role-mapper",
                "config": { "claim.name": "resource_access.${client_id}.roles", "multivalued": "true", "usermodel.clientRoleMapping.clientId": "bff",
                            "usermodel.clientRoleMapping.rolePrefix": "bff-", "access.token.claim": "true", "introspection.token.claim": "true" } },
              { "name": "auditor", "protocol": "openid-connect", "protocolMapper": "oidc-hardcoded-role-mapper", "config": { "role": "bff.notes-auditor" } },
              { "name": "audience resolve", "protocol": "openid-connect", "protocolMapper": "oidc-audience-resolve-mapper", "config": {} }
            ] },
          { "name": "basic", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "false" },
            "protocolMappers": [
              { "name": "sub", "protocol": "openid-connect", "protocolMapper": "oidc-sub-mapper", "config": { "access.token.claim": "true", "introspection.token.claim": "true" } },
              { "name": "auth_time", "protocol": "openid-connect", "protocolMapper": "oidc-usersessionmodel-note-mapper",
                "config": { "user.session.note": "AUTH_TIME", "claim.name": "auth_time", "jsonType.label": "long", "id.token.claim": "true", "access.token.claim": "true" } }
            ] },
          { "name": "extras", "protocol": "openid-connect", "attributes": { "include.in.token.scope": "true" },
            "protocolMappers": [
              { "name": "tenant", "protocol": "openid-connect", "protocolMapper": "oidc-hardcoded-claim-mapper",
                "config": { "claim.name": "tenant", "claim.value": "{\"id\":42,\"tier\":\"gold\"}", "jsonType.label": "JSON",
                            "access.token.claim": "true", "id.token.claim": "false", "userinfo.token.claim": "true" } },
              { "name": "dotted", "protocol": "openid-connect", "protocolMapper": "oidc-hardcoded-claim-mapper",
                "config": { "claim.name": "my\\.dotted", "claim.value": "yes", "jsonType.label": "String", "access.token.claim": "true" } },
              { "name": "departments", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-attribute-mapper",
                "config": { "user.attribute": "department", "claim.name": "org.departments", "jsonType.label": "String", "multivalued": "true",
                            "access.token.claim": "true", "id.token.claim": "true", "userinfo.token.claim": "false" } },
              { "name": "employee number", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-attribute-mapper",
                "config": { "user.attribute": "employeeNumber", "claim.name": "employee_number", "jsonType.label": "long",
                            "access.token.claim": "true", "introspection.token.claim": "false" } },
              { "name": "api audience", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
                "config": { "included.custom.audience": "https://api.example.com", "access.token.claim": "true", "id.token.claim": "false" } },
              { "name": "group names", "protocol": "openid-connect", "protocolMapper": "oidc-group-membership-mapper",
                "config": { "claim.name": "group_names", "full.path": "false", "userinfo.token.claim": "true", "id.token.claim": "false", "access.token.claim": "false" } },
              { "name": "scripted", "protocol": "openid-connect", "protocolMapper": "oidc-script-based-protocol-mapper", "config": {} }
            ] },
          { "name": "role_list", "protocol": "saml", "attributes": {}, "protocolMappers": [] }
        ]
        """;
}
