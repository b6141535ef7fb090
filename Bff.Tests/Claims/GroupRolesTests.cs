using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Claims;

/// <summary>
/// Groups and roles are different namespaces: whoever may create a group (or join one through
/// self-service) must not be able to grant a role by naming the group after it. A top-level group
/// <c>/admin</c> stays a <c>groups</c> claim; it becomes a role only with <c>Bff:Groups:RolePrefix</c>, prefixed.
/// </summary>
public sealed class GroupRolesTests
{
    // Bob (role user only) joins a top-level group named like the admin role.
    private static void BobInAdminGroup(Bff.DevIdp.DevIdpServerOptions options) =>
        options.RealmsPath = RealmFiles.WriteEditedCopy(realm =>
        {
            realm["groups"]!.AsArray().Add(new JsonObject { ["name"] = "admin", ["path"] = "/admin" });
            var bob = realm["users"]!.AsArray().Single(u => (string?)u!["username"] == "bob")!;
            bob["groups"]!.AsArray().Add("/admin");
        });

    private static async Task<List<(string? Type, string? Value)>> ClaimsAsync(BrowserClient browser) =>
        (await (await browser.GetApiAsync("/bff/user")).Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Select(c => (c.GetProperty("type").GetString(), c.GetProperty("value").GetString())).ToList();

    [Fact]
    public async Task A_top_level_group_named_admin_does_not_open_the_users_page()
    {
        await using var rig = await TokenTestRig.StartAsync(idpOptions: BobInAdminGroup);
        using var bob = await rig.SignInAsync("bob");

        var users = await bob.GetAsync("/Users", followRedirects: false);

        Assert.NotEqual(HttpStatusCode.OK, users.StatusCode);
        Assert.Contains("/AccessDenied", users.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        var claims = await ClaimsAsync(bob);
        Assert.Contains(("groups", "/admin"), claims);
        Assert.DoesNotContain(claims, c => c.Type == "role" && c.Value is "admin" or "/admin" or "customers" or "/customers");
        Assert.Contains(("role", "user"), claims);
    }

    [Fact]
    public async Task With_a_role_prefix_groups_become_prefixed_roles_only()
    {
        await using var rig = await TokenTestRig.StartAsync(
            idpOptions: BobInAdminGroup,
            bffSettings: new Dictionary<string, string?> { ["Bff:Groups:RolePrefix"] = "group:" });
        using var bob = await rig.SignInAsync("bob");

        var claims = await ClaimsAsync(bob);

        Assert.Contains(("role", "group:/admin"), claims);
        Assert.Contains(("role", "group:/customers"), claims);
        Assert.DoesNotContain(claims, c => c.Type == "role" && c.Value is "admin" or "/admin");
        Assert.NotEqual(HttpStatusCode.OK, (await bob.GetAsync("/Users", followRedirects: false)).StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_s_groups_do_not_become_roles_either()
    {
        await using var rig = await TokenTestRig.StartAsync(idpOptions: BobInAdminGroup);
        var token = (await rig.PasswordGrantAsync("bob")).GetProperty("access_token").GetString()!;
        using var http = new HttpClient { BaseAddress = rig.Bff.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        List<(string? Type, string? Value)> claims = [.. (await http.GetFromJsonAsync<JsonElement>("/bff/user")).EnumerateArray()
            .Select(c => (c.GetProperty("type").GetString(), c.GetProperty("value").GetString()))];

        Assert.Contains(("groups", "/admin"), claims);
        Assert.DoesNotContain(claims, c => c.Type == "role" && c.Value is "admin" or "/admin");
    }
}
