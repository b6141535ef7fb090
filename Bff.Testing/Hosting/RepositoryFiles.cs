namespace Bff.Testing.Hosting;

/// <summary>
/// The files of the repository a test runs from, found by walking up from the test binaries to the
/// first folder that holds a solution file (<c>*.sln</c> or <c>*.slnx</c>).
/// </summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(() => FindRoot(AppContext.BaseDirectory));

    /// <summary>The repository's root folder.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The full path of a file or folder given relative to the repository root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The text of a file given relative to the repository root.</summary>
    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The first folder at or above <paramref name="start"/> holding a solution file.</summary>
    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.sln").Any() || dir.EnumerateFiles("*.slnx").Any())
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No solution file (*.sln, *.slnx) at or above {start}.");
    }
}
