using Bff.Tests.Production;

namespace Bff.Tests.Build;

public class SolutionTests
{
    [Fact]
    public void Library_assembly_is_named_Bff_Core()
    {
        Assert.Equal("Bff.Core", typeof(Bff.Sessions.IServerSessionStore).Assembly.GetName().Name);
    }

    [Fact]
    public void Every_project_folder_at_the_root_is_in_the_solution()
    {
        var solution = RepositoryFiles.Read("Bff.sln");
        var projects = Directory.EnumerateDirectories(RepositoryFiles.Root)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj"))
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path).Replace('/', '\\'))
            .ToList();

        Assert.Contains("Bff.AppHost\\Bff.AppHost.csproj", projects);
        Assert.All(projects, project => Assert.Contains($"\"{project}\"", solution, StringComparison.Ordinal));
    }

    [Fact]
    public void The_README_s_run_command_starts_the_development_launcher()
    {
        var readme = RepositoryFiles.Read("README.md");
        var runIt = readme[readme.IndexOf("## Run it\n", StringComparison.Ordinal)..];
        var command = runIt.Split("```bash\n", 2)[1].Split("\n```", 2)[0].Trim();

        // One command, and the project it names is the launcher of the whole development default.
        Assert.Equal("dotnet run --project Bff.AppHost", command);
        Assert.Contains("Bff.DevIdp/Bff.DevIdp.csproj", DockerfileTests.ProjectClosure("Bff.AppHost/Bff.AppHost.csproj"));
    }

    [Fact]
    public void The_license_file_is_the_MIT_license_the_package_declares()
    {
        var license = RepositoryFiles.Read("LICENSE");
        var project = RepositoryFiles.Read("Bff.Core/Bff.Core.csproj");

        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
        Assert.Contains("THE SOFTWARE IS PROVIDED \"AS IS\"", license, StringComparison.Ordinal);
        Assert.Contains("<PackageLicenseExpression>MIT</PackageLicenseExpression>", project, StringComparison.Ordinal);
        // The package carries the text too (checked in the packed package by PackedPackageTests).
        Assert.Contains("Include=\"../LICENSE\" Pack=\"true\"", project, StringComparison.Ordinal);
    }
}
