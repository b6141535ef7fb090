using System.Text.Json;

namespace Bff.Testing;

/// <summary>Reads the users of a Keycloak realm export (a <c>*-realm.json</c> file) that carry a plain-text password.</summary>
public static class RealmUsers
{
    /// <summary>
    /// The users of every realm file at <paramref name="realmsPath"/> (a file, or a folder of
    /// <c>*-realm.json</c> files), by realm name. Users without a plain-text password credential
    /// (hashed exports) are left out: a test cannot sign in as them.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TestUser>> Load(string realmsPath)
    {
        ArgumentNullException.ThrowIfNull(realmsPath);
        var files = File.Exists(realmsPath)
            ? [realmsPath]
            : Directory.EnumerateFiles(realmsPath, "*.json").Order(StringComparer.Ordinal).ToArray();
        var realms = new Dictionary<string, IReadOnlyList<TestUser>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "realm") is not { Length: > 0 } realm)
            {
                continue;
            }

            realms[realm] = root.TryGetProperty("users", out var users) && users.ValueKind == JsonValueKind.Array
                ? [.. users.EnumerateArray().Select(Read).OfType<TestUser>()]
                : [];
        }

        return realms;
    }

    private static TestUser? Read(JsonElement user)
    {
        var password = user.TryGetProperty("credentials", out var credentials) && credentials.ValueKind == JsonValueKind.Array
            ? credentials.EnumerateArray().Where(c => String(c, "type") == "password").Select(c => String(c, "value")).FirstOrDefault(v => v is not null)
            : null;
        if (password is null || String(user, "username") is not { } username)
        {
            return null;
        }

        var clientRoles = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (user.TryGetProperty("clientRoles", out var byClient) && byClient.ValueKind == JsonValueKind.Object)
        {
            foreach (var client in byClient.EnumerateObject())
            {
                clientRoles[client.Name] = Strings(client.Value);
            }
        }

        return new TestUser(
            String(user, "id") ?? username,
            username,
            password,
            String(user, "email") ?? "",
            Bool(user, "emailVerified", false),
            Bool(user, "enabled", true),
            String(user, "firstName") ?? "",
            String(user, "lastName") ?? "",
            user.TryGetProperty("realmRoles", out var roles) ? Strings(roles) : [],
            clientRoles,
            user.TryGetProperty("groups", out var groups) ? Strings(groups) : []);
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement element, string property, bool fallback) =>
        element.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;

    private static string[] Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}
