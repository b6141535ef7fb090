using System.Xml.Linq;

namespace Bff.Tests.Production;

/// <summary>
/// Docker cannot run here, so the image is checked by reading Bff.Web/Dockerfile: the build copies
/// every project the app needs (a new ProjectReference must not break `docker build`), restores
/// before copying sources (layer caching), and the runtime stage is small, non-root, and keeps its
/// state on a volume. PublishTests runs the Dockerfile's own publish command.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load();

    [Fact]
    public void Builds_with_the_SDK_and_runs_on_the_ASP_NET_runtime_image()
    {
        var stages = File.All("FROM");

        Assert.Equal(2, stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.EndsWith(" AS build", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", stages[1], StringComparison.Ordinal);
        Assert.Contains(File.All("COPY"), c => c.StartsWith("--from=build /app/publish", StringComparison.Ordinal));
    }

    [Fact]
    public void Copies_every_project_the_app_references_and_restores_before_the_sources()
    {
        var restore = File.IndexOf("RUN", a => a.StartsWith("dotnet restore", StringComparison.Ordinal));
        var packages = File.IndexOf("COPY", a => a.Contains("Directory.Packages.props", StringComparison.Ordinal));
        var buildProps = File.IndexOf("COPY", a => a.Contains("Directory.Build.props", StringComparison.Ordinal));

        Assert.True(restore > 0, "no dotnet restore step");
        Assert.InRange(packages, 0, restore - 1);
        Assert.InRange(buildProps, 0, restore - 1);
        foreach (var project in ProjectClosure("Bff.Web/Bff.Web.csproj"))
        {
            var folder = Path.GetDirectoryName(project)!;
            var projectCopy = File.IndexOf("COPY", a => a == $"{project} {folder}/");
            var sourceCopy = File.IndexOf("COPY", a => a == $"{folder}/ {folder}/");
            Assert.True(projectCopy >= 0 && projectCopy < restore, $"{project} is not copied before the restore");
            Assert.True(sourceCopy > restore, $"{folder}/ is not copied after the restore");
        }
    }

    [Fact]
    public void Copies_no_project_the_app_does_not_reference()
    {
        // The development tooling (the DevIdp, the launcher) never enters the image's build context.
        var closure = ProjectClosure("Bff.Web/Bff.Web.csproj");
        var copiedProjects = File.All("COPY").Select(c => c.Split(' ')[0]).Where(source => source.EndsWith(".csproj", StringComparison.Ordinal));

        Assert.All(copiedProjects, project => Assert.Contains(project, closure));
    }

    [Fact]
    public void Publishes_the_web_app_in_release()
    {
        var publish = PublishCommand();

        Assert.Contains("Bff.Web/Bff.Web.csproj", publish, StringComparer.Ordinal);
        Assert.Equal("Release", publish[publish.ToList().IndexOf("-c") + 1]);
    }

    [Fact]
    public void Restores_and_publishes_ReadyToRun_for_one_runtime()
    {
        // Start to ready rests on pre-compiled code; the restore must name the same runtime and
        // property, or the --no-restore publish finds no assets for the runtime (nor crossgen2).
        var publish = PublishCommand();
        var restore = RestoreCommand();

        Assert.Contains("-p:PublishReadyToRun=true", publish, StringComparer.Ordinal);
        Assert.Contains("-p:PublishReadyToRun=true", restore, StringComparer.Ordinal);
        Assert.Contains("--ucr", publish, StringComparer.Ordinal);
        Assert.Contains("--ucr", restore, StringComparer.Ordinal);
        Assert.Equal("false", publish[publish.ToList().IndexOf("--self-contained") + 1]);
    }

    [Fact]
    public void Runs_as_the_image_s_non_root_user_with_state_on_a_volume()
    {
        var runtimeStart = File.IndexOf("FROM", a => a.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal));
        var users = File.Lines.Skip(runtimeStart).Where(l => l.Instruction == "USER").Select(l => l.Arguments).ToList();

        Assert.Equal(["$APP_UID"], users);
        Assert.Equal(["/app/data"], File.All("VOLUME"));
        Assert.Contains(File.All("RUN"), r => r.Contains("chown", StringComparison.Ordinal) && r.Contains("/app/data", StringComparison.Ordinal));
        Assert.StartsWith("Filename=/app/data/", File.Env("ConnectionStrings__Bff"), StringComparison.Ordinal);
        Assert.StartsWith("/app/data/", File.Env("DataProtection__KeysPath"), StringComparison.Ordinal);
        Assert.Equal("[\"dotnet\", \"Bff.Web.dll\"]", Assert.Single(File.All("ENTRYPOINT")));
    }

    [Fact]
    public void Has_a_health_check_that_needs_no_tool_missing_from_the_runtime_image()
    {
        var check = Assert.Single(File.All("HEALTHCHECK"));

        Assert.Contains("/health/live", check, StringComparison.Ordinal);
        Assert.DoesNotContain("curl", check, StringComparison.Ordinal);
        Assert.DoesNotContain("wget", check, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_context_leaves_out_local_state_and_build_output()
    {
        var ignored = RepositoryFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(["**/bin/", "**/obj/", "artifacts/", "**/data/", "**/keys/", "**/*.db", ".git/"], StringComparer.Ordinal), ignored);
    }

    /// <summary>The arguments of the Dockerfile's <c>dotnet restore</c> (after "dotnet restore").</summary>
    internal static IReadOnlyList<string> RestoreCommand()
    {
        var run = Assert.Single(File.All("RUN"), r => r.StartsWith("dotnet restore ", StringComparison.Ordinal));
        return run.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];
    }

    /// <summary>The arguments of the Dockerfile's <c>dotnet publish</c> (after "dotnet publish").</summary>
    internal static IReadOnlyList<string> PublishCommand()
    {
        var run = Assert.Single(File.All("RUN"), r => r.StartsWith("dotnet publish ", StringComparison.Ordinal));
        return run.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];
    }

    /// <summary>A project and every project it references, transitively, as repository-relative paths.</summary>
    internal static IReadOnlyList<string> ProjectClosure(string project)
    {
        var found = new List<string>();
        var queue = new Queue<string>([project]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (found.Contains(current))
            {
                continue;
            }

            found.Add(current);
            var folder = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(RepositoryFiles.PathOf(current)).Descendants("ProjectReference"))
            {
                var relative = Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(RepositoryFiles.Root, folder, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
                queue.Enqueue(relative.Replace('\\', '/'));
            }
        }

        return found;
    }
}
