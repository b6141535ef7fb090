using System.Text.Json.Nodes;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Testing;

/// <summary>A realm of its own (an edited copy of realm/bff-realm.json renamed to <c>shop</c>), for the fixture that serves any realm file.</summary>
public sealed class ShopRealmIdp() : DevIdpFixture(ShopRealm.Write())
{
}

/// <summary>Writes the shop realm: one user with a plain-text password, one whose credential is hashed.</summary>
internal static class ShopRealm
{
    public static string Write() => RealmFiles.WriteRenamedCopies(("shop", realm =>
    {
        var users = realm["users"]!.AsArray();
        var erin = JsonNode.Parse(users[0]!.ToJsonString())!.AsObject();
        erin["id"] = "0e7b4c1a-0000-4000-8000-00000000e210";
        erin["username"] = "erin";
        erin["email"] = "erin@shop.example";
        erin["firstName"] = "Erin";
        erin["credentials"] = new JsonArray(new JsonObject { ["type"] = "password", ["value"] = "erin-password", ["temporary"] = false });
        var hashed = JsonNode.Parse(users[1]!.ToJsonString())!.AsObject();
        hashed["username"] = "hashed";
        hashed["credentials"] = new JsonArray(new JsonObject
        {
            ["type"] = "password",
            ["secretData"] = "{\"value\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"additionalParameters\":{}}",
            ["credentialData"] = "{\"hashIterations\":27500,\"algorithm\":\"pbkdf2-sha256\",\"additionalParameters\":{}}",
        });
        realm["users"] = new JsonArray(erin, hashed);
    }));
}

/// <summary>Bff.Testing's DevIdp fixture: the users it reports are the realm file's, and they sign in at the realm it serves.</summary>
public sealed class DevIdpFixtureTests(ShopRealmIdp shop) : IClassFixture<ShopRealmIdp>
{
    [Fact]
    public void The_default_fixture_reads_the_repository_realm_users_as_the_tests_know_them()
    {
        var read = new DevIdpFixture().Users;
        Assert.Equal(TestUsers.All.Select(Describe), read.Select(Describe));
    }

    [Fact]
    public async Task A_fixture_serving_another_realm_file_reports_its_users_and_they_sign_in_there()
    {
        Assert.Equal("shop", shop.Realm);
        Assert.EndsWith("/realms/shop", shop.Authority.AbsoluteUri, StringComparison.Ordinal);
        // The hashed credential has no password a test could type: only erin is reported.
        var erin = Assert.Single(shop.Users);
        Assert.Equal(("erin", "erin-password", "Erin"), (erin.Username, erin.Password, erin.FirstName));

        var tokens = await TokenEndpoint.PasswordGrantAsync(shop.Authority, TestClients.Bff, shop.User("erin"));
        var access = TokenEndpoint.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(erin.Id, access.GetProperty("sub").GetString());
        Assert.Equal(shop.Authority.AbsoluteUri, access.GetProperty("iss").GetString());

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => TokenEndpoint.PasswordGrantAsync(shop.Authority, TestClients.Bff, "erin", "wrong"));
        Assert.Contains("invalid_grant", refused.Message, StringComparison.Ordinal);
    }

    private static string Describe(TestUser user) =>
        string.Join('|', user.Id, user.Username, user.Password, user.Email, user.EmailVerified, user.Enabled, user.FirstName, user.LastName,
            string.Join(',', user.RealmRoles), string.Join(',', user.ClientRoles.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + ":" + string.Join('+', c.Value))),
            string.Join(',', user.Groups));
}
