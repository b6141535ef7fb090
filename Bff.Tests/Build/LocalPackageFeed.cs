using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Bff.Tests.Build;

/// <summary>
/// Packages of this solution as another team gets them: packed into a temporary local feed under a
/// version of this run's own (no restore cache can hand out an older build), and projects outside the
/// solution (their own folder, nuget.config and build files, nothing of this repository's) that take
/// those packages from that feed only. The version is removed from the global packages folder afterwards.
/// </summary>
public sealed partial class LocalPackageFeed : IDisposable
{
    private readonly List<string> _packed = [];

    /// <summary>A new feed in <paramref name="parent"/>.</summary>
    public LocalPackageFeed(string parent)
    {
        Folder = Directory.CreateDirectory(Path.Combine(parent, "feed")).FullName;
    }

    /// <summary>The feed's folder.</summary>
    public string Folder { get; }

    /// <summary>The version every package of this feed has.</summary>
    public string Version { get; } = "0.0.0-packtest-" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// Packs <paramref name="project"/> (e.g. <c>Bff.Core</c>) into the feed and returns the package's path.
    /// <c>--no-build</c> packs the assembly this test run was built with (the solution build before the
    /// tests); a build here would rebuild the project, and everything above it, under a new version.
    /// </summary>
    public async Task<string> PackAsync(string project)
    {
        var configuration = typeof(LocalPackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        _packed.Add(project);
        var pack = await CommandResult.RunAsync(
            "dotnet",
            ["pack", $"{project}/{project}.csproj", "--no-build", "-c", configuration, "-o", Folder, $"-p:PackageVersion={Version}", "-nologo"],
            RepositoryFiles.Root,
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(pack.ExitCode == 0, $"dotnet pack {project} failed:{Environment.NewLine}{pack.Output}");
        var package = Path.Combine(Folder, $"{project}.{Version}.nupkg");
        Assert.True(File.Exists(package), $"no {package}:{Environment.NewLine}{pack.Output}");
        return package;
    }

    /// <summary>
    /// Makes <paramref name="appFolder"/> a place outside the solution: empty build files (so MSBuild looks
    /// no further up), and a nuget.config whose source mapping takes the packed packages from this feed
    /// only (never from a registry, even one holding a package of that name) and everything else from
    /// nuget.org or the machine's package cache.
    /// </summary>
    public void WriteOutsideFolder(string appFolder)
    {
        File.WriteAllText(Path.Combine(appFolder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(appFolder, "Directory.Packages.props"), "<Project />\n");
        var patterns = string.Concat(_packed.Select(p => $"""
                  <package pattern="{p}" />

            """));
        File.WriteAllText(Path.Combine(appFolder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="bff-local" value="{Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="bff-local">
            {patterns}    </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    /// <summary>The first <c>```csharp</c> block of a README of this repository: what another team copies.</summary>
    public static string FirstCSharpBlock(string readme)
    {
        var block = CSharpBlock().Match(RepositoryFiles.Read(readme));
        Assert.True(block.Success, $"{readme} has no ```csharp block");
        return block.Groups["code"].Value;
    }

    /// <summary>
    /// Checks what every package of this solution carries (the assembly and its XML docs, the README, the
    /// LICENSE file and MIT expression, description, repository type and commit) and returns the nuspec's metadata element.
    /// </summary>
    public static XElement CheckPackage(string package, string id)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);

        using var nuspecStream = zip.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");

        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
        return metadata;
    }

    /// <summary>The ids of the package dependencies a nuspec's metadata names.</summary>
    public static IReadOnlyList<string> Dependencies(XElement metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return [.. metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(d => d.Attribute("id")!.Value).Distinct()];
    }

    /// <summary>Removes this feed's version of every packed package from the global packages folder, which would otherwise keep every run's copy.</summary>
    public void Dispose()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var project in _packed)
        {
            var restored = Path.Combine(packages, project.ToLowerInvariant(), Version);
            try
            {
                if (Directory.Exists(restored))
                {
                    Directory.Delete(restored, recursive: true);
                }
            }
            catch (IOException)
            {
                // Left for the next cache cleanup; a unique version cannot be picked up by another run.
            }
        }
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
