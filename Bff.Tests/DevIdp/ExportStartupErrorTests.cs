using System.Text.Json.Nodes;
using Bff.DevIdp.Realms;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

/// <summary>An export the DevIdp cannot serve faithfully stops start-up, naming the file, the JSON path and the reason.</summary>
public class ExportStartupErrorTests
{
    [Fact]
    public async Task An_unknown_hash_algorithm_names_the_file_the_path_the_realm_the_user_and_the_algorithm()
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "acme-users-1.json");
        EditUsersFile(file, users =>
        {
            var credential = users[1]!["credentials"]![0]!;
            credential["credentialData"] = "{\"hashIterations\":10,\"algorithm\":\"bcrypt\",\"additionalParameters\":{}}";
        });

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.users[1].credentials[0].credentialData", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bcrypt'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'otto'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'acme'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"value\":\"not base64!\",\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"additionalParameters\":{}}", "secretData", "base64")]
    [InlineData("{\"value\":", "secretData", "malformed")]
    public async Task A_broken_secret_names_its_path(string secretData, string expectedPath, string expectedReason)
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "globex-realm.json");
        var realm = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        realm["users"]![0]!["credentials"]![0]!["secretData"] = secretData;
        await File.WriteAllTextAsync(file, realm.ToJsonString());

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.users[0].credentials[0]." + expectedPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedReason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", "1.0", "version '1.0'")]
    [InlineData("type", "x", "type 'x'")]
    [InlineData("hashLength", "64", "hashLength 64")]
    [InlineData("memory", "lots", "memory 'lots'")]
    public async Task Argon2_parameters_it_cannot_reproduce_stop_start_up(string parameter, string value, string expected)
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "acme-users-0.json");
        EditUsersFile(file, users =>
        {
            var credential = users[0]!["credentials"]![0]!;
            var data = JsonNode.Parse((string)credential["credentialData"]!)!;
            data["additionalParameters"]![parameter] = new JsonArray(value);
            credential["credentialData"] = data.ToJsonString();
        });

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.users[0].credentials[0].credentialData", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_factor_credential_the_DevIdp_cannot_check_stops_start_up_rather_than_being_skipped()
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "acme-users-0.json");
        EditUsersFile(file, users => users[2]!["credentials"]!.AsArray().Add(new JsonObject { ["type"] = "otp", ["secretData"] = "{}", ["credentialData"] = "{}" }));

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains("$.users[2].credentials[1].type", error.Message, StringComparison.Ordinal);
        Assert.Contains("'otp'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_users_file_names_the_file_and_where_the_json_breaks()
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "acme-users-1.json");
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, text.Replace("\"username\" : \"otto\",", "\"username\" : \"otto\" \"oops\",", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed at $.users[1] (line 28,", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_users_file_of_a_realm_no_file_defines_stops_start_up()
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        File.Delete(Path.Combine(folder, "acme-realm.json"));

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains("acme-users-0.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("realm 'acme'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_the_realm_does_not_define_is_named_with_its_path_in_the_users_file()
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "acme-users-0.json");
        EditUsersFile(file, users => users[3]!["groups"] = new JsonArray("/nowhere"));

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.users[3].groups[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("'/nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkce.code.challenge.method", "plain", "PKCE method 'plain'")]
    [InlineData("access.token.lifespan", "five minutes", "access.token.lifespan 'five minutes'")]
    public async Task A_client_setting_it_cannot_honour_names_the_client(string attribute, string value, string expected)
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "acme-realm.json");
        var realm = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var clients = realm["clients"]!.AsArray();
        var index = clients.Select((c, i) => (c, i)).Single(p => (string?)p.c!["clientId"] == "acme-spa").i;
        clients[index]!["attributes"]![attribute] = value;
        await File.WriteAllTextAsync(file, realm.ToJsonString());

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains($"$.clients[{index}].attributes", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_token_reuse_it_cannot_honour_stops_start_up()
    {
        var folder = ExportedRealms.CopyToTemporaryFolder();
        var file = Path.Combine(folder, "acme-realm.json");
        var realm = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        realm["refreshTokenMaxReuse"] = 2;
        await File.WriteAllTextAsync(file, realm.ToJsonString());

        var error = await Assert.ThrowsAsync<DevIdpConfigurationException>(() => ExportedRealms.StartAsync(folder));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.refreshTokenMaxReuse", error.Message, StringComparison.Ordinal);
    }

    private static void EditUsersFile(string file, Action<JsonArray> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(file))!;
        edit(root["users"]!.AsArray());
        File.WriteAllText(file, root.ToJsonString());
    }
}
