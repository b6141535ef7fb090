namespace Bff.E2E.TestInfra;

/// <summary>The repository's own files, found from the test binaries.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bff.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Bff.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The full path of a file or folder given relative to the repository root.</summary>
    public static string PathOf(string relative) => Path.Combine(LazyRoot.Value, relative);
}
