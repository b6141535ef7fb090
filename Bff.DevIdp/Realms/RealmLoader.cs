using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bff.DevIdp.Realms;

/// <summary>
/// Reads every <c>*.json</c> file of a folder (or one file) the way <c>kc.sh export --dir</c> writes them:
/// <c>&lt;realm&gt;-realm.json</c> (one realm, or a JSON array of realms as <c>--file</c> writes), and with
/// <c>--users different_files</c> the users in <c>&lt;realm&gt;-users-&lt;n&gt;.json</c> beside it.
/// </summary>
internal static partial class RealmLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public static IReadOnlyList<DevIdpRealm> Load(string path)
    {
        string[] files;
        if (File.Exists(path))
        {
            files = [path];
        }
        else if (Directory.Exists(path))
        {
            files = Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                throw new DevIdpConfigurationException($"No realm file (*.json) in '{Path.GetFullPath(path)}' (DevIdp:RealmsPath).");
            }
        }
        else
        {
            throw new DevIdpConfigurationException($"Realm file or folder '{Path.GetFullPath(path)}' does not exist (DevIdp:RealmsPath).");
        }

        var realms = new List<(RealmRepresentation Realm, string File, string Path)>();
        var users = new List<RealmUserSource>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (FederatedUsersFile().IsMatch(name))
            {
                // Keycloak writes these for users of user federation (LDAP, Kerberos), which the DevIdp cannot reach.
                RejectFederatedUsers(file);
            }
            else if (UsersFile().Match(name) is { Success: true })
            {
                var usersFile = Read<UsersFileRepresentation>(file);
                if (string.IsNullOrWhiteSpace(usersFile.Realm))
                {
                    throw Invalid(file, "$.realm", "the users file names no \"realm\".");
                }

                users.AddRange((usersFile.Users ?? []).Select((u, i) => new RealmUserSource(usersFile.Realm, u, file, $"$.users[{i}]")));
            }
            else
            {
                realms.AddRange(ReadRealms(file));
            }
        }

        var loaded = new List<DevIdpRealm>();
        foreach (var (realm, file, realmPath) in realms)
        {
            var own = (realm.Users ?? []).Select((u, i) => new RealmUserSource(realm.Realm ?? string.Empty, u, file, $"{realmPath}.users[{i}]"));
            var separate = users.Where(u => string.Equals(u.Realm, realm.Realm, StringComparison.Ordinal));
            try
            {
                loaded.Add(RealmMapper.Map(realm, file, realmPath, [.. own, .. separate]));
            }
            catch (RealmDataException ex)
            {
                throw Invalid(ex.File ?? file, ex.JsonPath, ex.Message, ex);
            }
        }

        var orphan = users.FirstOrDefault(u => !loaded.Any(r => string.Equals(r.Name, u.Realm, StringComparison.Ordinal)));
        if (orphan is not null)
        {
            throw Invalid(orphan.File, "$.realm", $"the users belong to realm '{orphan.Realm}', which no realm file defines.");
        }

        var duplicate = loaded.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DevIdpConfigurationException(
                $"Realm '{duplicate.Key}' is defined twice: {string.Join(", ", duplicate.Select(r => r.SourceFile))}.");
        }

        return loaded;
    }

    /// <summary>Loads one realm file (users only from the file itself).</summary>
    public static DevIdpRealm LoadFile(string file) => Load(file).Single();

    private static List<(RealmRepresentation, string, string)> ReadRealms(string file)
    {
        var root = Read<JsonElement>(file);
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.EnumerateArray().Select((element, i) => (Realm(element, file, $"$[{i}]"), file, $"$[{i}]")).ToList();
        }

        return [(Realm(root, file, "$"), file, "$")];
    }

    private static RealmRepresentation Realm(JsonElement element, string file, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(file, path, "a realm must be a JSON object.");
        }

        try
        {
            return element.Deserialize<RealmRepresentation>(JsonOptions)!;
        }
        catch (JsonException ex)
        {
            // The path of the exception is relative to the element; put it under the realm's own path.
            throw Invalid(file, path + (ex.Path?.TrimStart('$') ?? string.Empty), ex.Message, ex);
        }
    }

    private static T Read<T>(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize<T>(stream, JsonOptions) ?? throw Invalid(file, "$", "the file holds JSON null.");
        }
        catch (JsonException ex)
        {
            throw new DevIdpConfigurationException(
                $"Realm file '{file}' is malformed at {ex.Path ?? "$"} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {WithoutPosition(ex.Message)}", ex);
        }
        catch (IOException ex)
        {
            throw new DevIdpConfigurationException($"Realm file '{file}' cannot be read: {ex.Message}", ex);
        }
    }

    // System.Text.Json appends its own zero-based " Path: ... | LineNumber: ..." to the message; ours is one-based.
    private static string WithoutPosition(string message) =>
        message.IndexOf(" Path: ", StringComparison.Ordinal) is var at and >= 0 ? message[..at] : message;

    private static void RejectFederatedUsers(string file)
    {
        var root = Read<JsonElement>(file);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("federatedUsers", out var federated)
            && federated.ValueKind == JsonValueKind.Array && federated.GetArrayLength() > 0)
        {
            throw Invalid(file, "$.federatedUsers", "federated users (user federation storage) cannot be served by the DevIdp.");
        }
    }

    private static DevIdpConfigurationException Invalid(string file, string path, string reason, Exception? inner = null) =>
        new($"Realm file '{file}' is invalid at {path}: {reason}", inner ?? new RealmDataException(path, reason));

    [GeneratedRegex(@"^.+-users-\d+\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex UsersFile();

    [GeneratedRegex(@"^.+-federated-users-\d+\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex FederatedUsersFile();
}

/// <summary>A user of a realm and where it was read: the realm file itself or a separate users file.</summary>
internal sealed record RealmUserSource(string Realm, UserRepresentation User, string File, string Path);
