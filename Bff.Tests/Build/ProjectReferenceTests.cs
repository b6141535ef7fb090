using Bff.Tests.Production;

namespace Bff.Tests.Build;

/// <summary>
/// Which project may depend on which: the library on none, the app on the library only (never on the
/// development tooling, which would ship it to production), and the launcher on the app.
/// </summary>
public sealed class ProjectReferenceTests
{
    [Fact]
    public void Bff_Core_references_no_project()
    {
        Assert.Equal(["Bff.Core/Bff.Core.csproj"], DockerfileTests.ProjectClosure("Bff.Core/Bff.Core.csproj"));
    }

    [Fact]
    public void Bff_Web_does_not_reference_the_development_tooling()
    {
        var closure = DockerfileTests.ProjectClosure("Bff.Web/Bff.Web.csproj");

        Assert.Contains("Bff.Core/Bff.Core.csproj", closure);
        Assert.DoesNotContain("Bff.DevIdp/Bff.DevIdp.csproj", closure);
        Assert.DoesNotContain("Bff.AppHost/Bff.AppHost.csproj", closure);
    }

    [Fact]
    public void The_launcher_starts_the_app_and_the_DevIdp()
    {
        var closure = DockerfileTests.ProjectClosure("Bff.AppHost/Bff.AppHost.csproj");

        Assert.Contains("Bff.Web/Bff.Web.csproj", closure);
        Assert.Contains("Bff.DevIdp/Bff.DevIdp.csproj", closure);
    }
}
