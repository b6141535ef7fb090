using System.Security.Claims;
using System.Text.Json;
using Bff.Claims;
using Bff.Claims.Internal;

namespace Bff.Tests.Claims;

public class KeycloakClaimsMapperTests
{
    private static readonly KeycloakClaimsMapper Mapper = new();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Realm_and_client_roles_become_role_names_and_groups_stay_groups()
    {
        var payload = Json("""
            {
              "sub": "1",
              "realm_access": { "roles": ["user", "admin"] },
              "resource_access": {
                "bff": { "roles": ["notes-editor", "notes-reader"] },
                "account": { "roles": ["manage-account"] }
              },
              "groups": ["/staff", "/staff/engineering"]
            }
            """);

        var authorization = Mapper.Read(payload, "bff");

        Assert.Equal(["user", "admin"], authorization.RealmRoles);
        Assert.Equal(["notes-editor", "notes-reader"], authorization.ClientRoles);
        Assert.Equal(["/staff", "/staff/engineering"], authorization.Groups);
        Assert.Equal(["user", "admin", "notes-editor", "notes-reader"], authorization.RoleNames);
        Assert.DoesNotContain("manage-account", authorization.RoleNames);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"realm_access": "admin"}""")]
    [InlineData("""{"realm_access": {"roles": "not-a-list-but-one"}, "resource_access": []}""")]
    [InlineData("""{"realm_access": {"roles": [1, null, {}]}, "resource_access": {"bff": 3}, "groups": {}}""")]
    [InlineData("[]")]
    public void Missing_or_malformed_claims_give_no_roles_and_no_error(string json)
    {
        var authorization = Mapper.Read(Json(json), "bff");

        Assert.DoesNotContain(authorization.RoleNames, r => r is "admin" or "1");
        Assert.Empty(authorization.ClientRoles);
        Assert.Empty(authorization.Groups);
    }

    [Fact]
    public void Client_roles_of_other_clients_do_not_count()
    {
        var payload = Json("""{"resource_access": {"other": {"roles": ["admin"]}}}""");

        Assert.Empty(Mapper.Read(payload, "bff").RoleNames);
    }

    [Fact]
    public void A_group_named_like_a_role_is_no_role()
    {
        var authorization = Mapper.Read(Json("""{"groups": ["/admin", "admin", "admin"]}"""), "bff");

        Assert.Empty(authorization.RoleNames);
        Assert.Equal(["/admin", "admin", "admin"], authorization.Groups);
    }

    [Fact]
    public void AddClaims_adds_role_claims_that_IsInRole_sees_and_group_claims_apart()
    {
        var identity = new ClaimsIdentity([new Claim("sub", "1")], "test", BffClaimTypes.Name, BffClaimTypes.Role);
        var authorization = Mapper.Read(Json("""{"realm_access": {"roles": ["admin"]}, "groups": ["/staff/engineering", "/user"]}"""), "bff");

        Mapper.AddClaims(identity, authorization, "https://idp");
        Mapper.AddClaims(identity, authorization, "https://idp");

        var principal = new ClaimsPrincipal(identity);
        Assert.True(principal.IsInRole("admin"));
        Assert.False(principal.IsInRole("staff/engineering"));
        Assert.False(principal.IsInRole("/staff/engineering"));
        Assert.False(principal.IsInRole("user"));
        Assert.Single(identity.FindAll(BffClaimTypes.Role));
        Assert.Equal(2, identity.FindAll(BffClaimTypes.Group).Count());
        Assert.True(principal.HasClaim(BffClaimTypes.Group, "/staff/engineering"));
    }

    [Fact]
    public void With_a_role_prefix_each_group_is_also_a_prefixed_role()
    {
        var options = new Bff.BffOptions();
        options.Groups.RolePrefix = "group:";
        var mapper = new KeycloakClaimsMapper(new Bff.Tests.Logout.StaticOptionsMonitor<BffGroupOptions>(options.Groups));
        var identity = new ClaimsIdentity([new Claim("sub", "1")], "test", BffClaimTypes.Name, BffClaimTypes.Role);

        mapper.AddClaims(identity, mapper.Read(Json("""{"groups": ["/admin"]}"""), "bff"), "https://idp");

        var principal = new ClaimsPrincipal(identity);
        Assert.True(principal.IsInRole("group:/admin"));
        Assert.False(principal.IsInRole("admin"));
        Assert.False(principal.IsInRole("/admin"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("an-opaque-reference-token")]
    [InlineData("a.b")]
    [InlineData("eyJhbGciOiJSU0EtT0FFUCJ9.eyJ4IjoxfQ.c.d.e")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.!!!not-base64!!!.sig")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.sig")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.WzEsMl0.sig")]
    public void Opaque_encrypted_or_malformed_access_tokens_are_read_as_no_payload(string? token)
    {
        Assert.False(Bff.Login.Internal.BffOpenIdConnectEvents.TryReadJwtPayload(token, out _));
    }

    [Fact]
    public void A_JWT_access_token_payload_is_read()
    {
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"sub":"1","realm_access":{"roles":["admin"]}}""");

        Assert.True(Bff.Login.Internal.BffOpenIdConnectEvents.TryReadJwtPayload("eyJhbGciOiJSUzI1NiJ9." + payload + ".sig", out var json));
        Assert.Equal(["admin"], Mapper.Read(json, "bff").RealmRoles);
    }
}
