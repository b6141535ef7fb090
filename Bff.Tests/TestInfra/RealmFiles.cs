using System.Text.Json.Nodes;
using Bff.DevIdp;

namespace Bff.Tests.TestInfra;

/// <summary>The repository's realm files, and edited copies of them for tests that need another realm setting.</summary>
public static class RealmFiles
{
    /// <summary>Path of realm/bff-realm.json (the DevIdp's default realm folder).</summary>
    public static string BffRealmPath => Path.Combine(DevIdpServer.DefaultRealmsPath(), "bff-realm.json");

    /// <summary>The bff realm file as a JSON tree.</summary>
    public static JsonObject LoadBffRealm() => JsonNode.Parse(File.ReadAllText(BffRealmPath))!.AsObject();

    /// <summary>Writes an edited copy of the bff realm into a new temporary folder and returns the folder.</summary>
    public static string WriteEditedCopy(Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var realm = LoadBffRealm();
        edit(realm);
        var folder = Directory.CreateTempSubdirectory("devidp-realm-").FullName;
        File.WriteAllText(Path.Combine(folder, "bff-realm.json"), realm.ToJsonString());
        return folder;
    }

    /// <summary>
    /// Writes edited copies of the bff realm, each renamed to its own realm, into one new temporary folder (one
    /// DevIdp then serves them all) and returns the folder.
    /// </summary>
    public static string WriteRenamedCopies(params (string Realm, Action<JsonObject> Edit)[] realms)
    {
        ArgumentNullException.ThrowIfNull(realms);
        var folder = Directory.CreateTempSubdirectory("devidp-realms-").FullName;
        foreach (var (name, edit) in realms)
        {
            var realm = LoadBffRealm();
            realm["id"] = name;
            realm["realm"] = name;
            edit(realm);
            File.WriteAllText(Path.Combine(folder, name + "-realm.json"), realm.ToJsonString());
        }

        return folder;
    }

    /// <summary>Starts a DevIdp serving an edited copy of the bff realm.</summary>
    public static Task<DevIdpServer> StartWithEditedRealmAsync(Action<JsonObject> edit, Action<DevIdpServerOptions>? configure = null) =>
        DevIdpFixture.StartAsync(options =>
        {
            options.RealmsPath = WriteEditedCopy(edit);
            configure?.Invoke(options);
        });
}
