using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.DevIdp.Realms;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public class RealmFileTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    [Fact]
    public async Task Malformed_realm_file_stops_start_up_naming_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("devidp-bad-").FullName;
        var file = Path.Combine(folder, "broken-realm.json");
        await File.WriteAllTextAsync(file, "{ \"realm\": \"broken\", \"users\": [ ");

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => DevIdpFixture.StartAsync(o => o.RealmsPath = folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_realm_folder_stops_start_up_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "devidp-missing-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => DevIdpFixture.StartAsync(o => o.RealmsPath = missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Realm_file_without_a_realm_name_stops_start_up()
    {
        var folder = RealmFiles.WriteEditedCopy(realm => realm.Remove("realm"));

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => DevIdpFixture.StartAsync(o => o.RealmsPath = folder));

        Assert.Contains("bff-realm.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"realm\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_exits_with_a_message_for_a_missing_realm_folder()
    {
        var missing = Path.Combine(Path.GetTempPath(), "devidp-missing-" + Guid.NewGuid().ToString("N"));
        var stderr = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            var exitCode = await Bff.DevIdp.Program.Main(["--urls", "http://127.0.0.1:0", "--DevIdp:RealmsPath=" + missing]);

            Assert.Equal(1, exitCode);
        }
        finally
        {
            Console.SetError(stderr);
        }

        Assert.Contains(missing, captured.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Test_users_agree_with_the_realm_file()
    {
        var users = RealmFiles.LoadBffRealm()["users"]!.AsArray();
        foreach (var expected in TestUsers.All)
        {
            var user = users.Single(u => (string?)u!["username"] == expected.Username)!;
            Assert.Equal(expected.Id, (string?)user["id"]);
            Assert.Equal(expected.Email, (string?)user["email"]);
            Assert.Equal(expected.Enabled, (bool?)user["enabled"]);
            Assert.Equal(expected.EmailVerified, (bool?)user["emailVerified"]);
            Assert.Equal(expected.Password, (string?)user["credentials"]![0]!["value"]);
            Assert.Equal(expected.RealmRoles, user["realmRoles"]!.AsArray().Select(r => (string?)r));
            Assert.Equal(expected.Groups, user["groups"]!.AsArray().Select(g => (string?)g));
        }
    }

    public static TheoryData<string> EnabledUsers() => ["alice", "bob", "dave"];

    [Theory]
    [MemberData(nameof(EnabledUsers))]
    public async Task Token_claims_match_the_realm_file(string username)
    {
        var realm = RealmFiles.LoadBffRealm();
        var user = realm["users"]!.AsArray().Single(u => (string?)u!["username"] == username)!;
        var password = (string)user["credentials"]![0]!["value"]!;
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.All.Single(u => u.Username == username) with { Password = password }, "openid profile email");
        Assert.False(tokens.IsError, tokens.Error);

        var access = CodeFlow.Payload(tokens.AccessToken!);
        Assert.Equal(idp.Authority.AbsoluteUri, access.GetProperty("iss").GetString());
        Assert.Equal((string?)user["id"], access.GetProperty("sub").GetString());
        Assert.Equal("Bearer", access.GetProperty("typ").GetString());
        Assert.Equal("bff", access.GetProperty("azp").GetString());
        Assert.False(string.IsNullOrEmpty(access.GetProperty("sid").GetString()));
        Assert.Contains("bff", Strings(access.GetProperty("aud")));
        Assert.Contains("account", Strings(access.GetProperty("aud")));
        Assert.Contains("openid", access.GetProperty("scope").GetString()!.Split(' '));
        AssertProfile(access, user);
        Assert.Subset(Strings(access.GetProperty("realm_access").GetProperty("roles")).ToHashSet(), Strings(user["realmRoles"]).ToHashSet());
        var clientRoles = user["clientRoles"]?["bff"]?.AsArray().Select(r => (string)r!).ToArray() ?? [];
        if (clientRoles.Length > 0)
        {
            Assert.Equal(clientRoles, Strings(access.GetProperty("resource_access").GetProperty("bff").GetProperty("roles")));
        }
        else
        {
            Assert.False(access.GetProperty("resource_access").TryGetProperty("bff", out _));
        }

        var id = CodeFlow.Payload(tokens.IdentityToken!);
        Assert.Equal("ID", id.GetProperty("typ").GetString());
        Assert.Equal("bff", id.GetProperty("aud").ValueKind == JsonValueKind.Array ? Strings(id.GetProperty("aud")).Single() : id.GetProperty("aud").GetString());
        Assert.Equal(access.GetProperty("sid").GetString(), id.GetProperty("sid").GetString());
        AssertProfile(id, user);
        Assert.False(id.TryGetProperty("realm_access", out _), "Keycloak puts no roles in the ID token");
        Assert.False(id.TryGetProperty("resource_access", out _));
    }

    private static void AssertProfile(JsonElement claims, JsonNode user)
    {
        Assert.Equal((string?)user["username"], claims.GetProperty("preferred_username").GetString());
        Assert.Equal((string?)user["email"], claims.GetProperty("email").GetString());
        Assert.Equal((bool?)user["emailVerified"], claims.GetProperty("email_verified").GetBoolean());
        Assert.Equal((string?)user["firstName"], claims.GetProperty("given_name").GetString());
        Assert.Equal((string?)user["lastName"], claims.GetProperty("family_name").GetString());
        Assert.Equal($"{user["firstName"]} {user["lastName"]}", claims.GetProperty("name").GetString());

        // The group mapper has full.path true: paths as in the realm file, always an array.
        Assert.Equal(JsonValueKind.Array, claims.GetProperty("groups").ValueKind);
        Assert.Equal(Strings(user["groups"]), Strings(claims.GetProperty("groups")));
    }

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);

    private static IEnumerable<string> Strings(JsonNode? array) => array?.AsArray().Select(e => (string)e!) ?? [];
}
