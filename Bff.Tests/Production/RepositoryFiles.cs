using System.Text.Json;

namespace Bff.Tests.Production;

/// <summary>The repository's own files (compose.yml, the realm, the Dockerfile), found from the test binaries.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding Bff.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The full path of a file given relative to the repository root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The text of a file given relative to the repository root.</summary>
    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>realm/bff-realm.json, parsed.</summary>
    public static JsonDocument Realm() => JsonDocument.Parse(Read("realm/bff-realm.json"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bff.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Bff.sln above {AppContext.BaseDirectory}.");
    }
}
