using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

/// <summary>
/// realm/bff-realm.json's step-up for a real Keycloak (which these machines cannot run): the browser flow bound
/// to the realm steps up by Level of Authentication, as Keycloak's guide builds it, and the file stays importable.
/// Keycloak imports exactly the flows a file lists once it lists any, so the flows a realm cannot do without
/// must be there too.
/// </summary>
public sealed class RealmStepUpFlowTests
{
    private static readonly JsonObject Realm = RealmFiles.LoadBffRealm();

    // Keycloak's AuthenticationExecutionModel.Requirement names.
    private static readonly string[] Requirements = ["REQUIRED", "ALTERNATIVE", "CONDITIONAL", "DISABLED"];

    private static JsonArray Flows => Realm["authenticationFlows"]!.AsArray();

    [Fact]
    public void The_bound_browser_flow_and_every_flow_and_config_it_names_exist()
    {
        var browserFlow = Flow((string)Realm["browserFlow"]!);
        Assert.True((bool)browserFlow["topLevel"]!);

        var aliases = Flows.Select(f => (string)f!["alias"]!).ToList();
        Assert.Equal(aliases.Count, aliases.Distinct(StringComparer.Ordinal).Count());
        var configs = Realm["authenticatorConfig"]!.AsArray().Select(c => (string)c!["alias"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var execution in Flows.SelectMany(f => f!["authenticationExecutions"]!.AsArray()))
        {
            if ((bool)execution!["authenticatorFlow"]!)
            {
                Assert.Contains((string)execution["flowAlias"]!, aliases);
            }

            if (execution["authenticatorConfig"] is { } config)
            {
                Assert.Contains((string)config!, configs);
            }

            Assert.Contains((string)execution["requirement"]!, Requirements);
        }

        // Without them the import leaves the realm with no direct grant and no registration flow.
        Assert.True((bool)Flow("direct grant")["topLevel"]!);
        Assert.True((bool)Flow("registration")["topLevel"]!);
    }

    [Fact]
    public void Level_1_asks_the_password_and_level_2_the_one_time_code_lowest_first_with_the_acr_map_naming_both()
    {
        var levels = SubFlows(Flow((string)Realm["browserFlow"]!))
            .SelectMany(SubFlows)
            .Select(flow => (Condition: Level(flow), Authenticators: Executions(flow).Select(e => (string?)e["authenticator"]).ToList()))
            .ToList();

        Assert.Equal([1, 2], levels.Select(l => l.Condition));
        Assert.Contains("auth-username-password-form", levels[0].Authenticators);
        Assert.Contains("auth-otp-form", levels[1].Authenticators);
        var map = JsonSerializer.Deserialize<Dictionary<string, int>>((string)Realm["attributes"]!["acr.loa.map"]!)!;
        // The acr values are the levels' numbers, as the BFF compares them by default (RequireAcr("2")).
        Assert.Equal(new Dictionary<string, int> { ["1"] = 1, ["2"] = 2 }, map);
    }

    private static JsonObject Flow(string alias) =>
        Flows.Single(f => (string)f!["alias"]! == alias)!.AsObject();

    private static IEnumerable<JsonObject> Executions(JsonObject flow) =>
        flow["authenticationExecutions"]!.AsArray().Select(e => e!.AsObject()).OrderBy(e => (int)e["priority"]!);

    private static IEnumerable<JsonObject> SubFlows(JsonObject flow) =>
        Executions(flow).Where(e => (bool)e["authenticatorFlow"]!).Select(e => Flow((string)e["flowAlias"]!));

    private static int Level(JsonObject flow)
    {
        var condition = Executions(flow).Single(e => (string?)e["authenticator"] == "conditional-level-of-authentication");
        Assert.Equal("REQUIRED", (string)condition["requirement"]!);
        var config = Realm["authenticatorConfig"]!.AsArray().Single(c => (string)c!["alias"]! == (string)condition["authenticatorConfig"]!)!;
        return int.Parse((string)config["config"]!["loa-condition-level"]!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
