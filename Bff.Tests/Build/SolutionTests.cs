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
}
