using System.Text.Json;

namespace Bff.DevIdp.Realms;

/// <summary>Reads every <c>*.json</c> realm file of a folder (or one file) into <see cref="DevIdpRealm"/>s.</summary>
internal static class RealmLoader
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

        var realms = files.Select(LoadFile).ToList();
        var duplicate = realms.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DevIdpConfigurationException(
                $"Realm '{duplicate.Key}' is defined twice: {string.Join(", ", duplicate.Select(r => r.SourceFile))}.");
        }

        return realms;
    }

    public static DevIdpRealm LoadFile(string file)
    {
        RealmRepresentation? representation;
        try
        {
            using var stream = File.OpenRead(file);
            representation = JsonSerializer.Deserialize<RealmRepresentation>(stream, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new DevIdpConfigurationException($"Realm file '{file}' is malformed: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new DevIdpConfigurationException($"Realm file '{file}' cannot be read: {ex.Message}", ex);
        }

        try
        {
            return RealmMapper.Map(representation ?? throw new InvalidDataException("the file holds JSON null."), file);
        }
        catch (InvalidDataException ex)
        {
            throw new DevIdpConfigurationException($"Realm file '{file}' is invalid: {ex.Message}", ex);
        }
    }
}
