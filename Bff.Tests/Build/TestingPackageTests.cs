using System.Text.RegularExpressions;
using System.Xml.Linq;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Build;

/// <summary>
/// Bff.Testing as a QA team gets it: Bff.Core, Bff.DevIdp and Bff.Testing packed into a temporary
/// local feed, then an xunit test project outside the solution that takes them from that feed only,
/// whose one test file is the package README's example, run with <c>dotnet test</c> (a real DevIdp, the
/// app of the example, a real Chromium).
/// </summary>
/// <remarks>Slow: a restore, a build and a test run of another project (one to two minutes on a loaded 2-core machine).</remarks>
[Trait("Speed", "Slow")]
public sealed partial class TestingPackageTests
{
    [Fact]
    public async Task The_README_example_passes_in_a_test_project_outside_the_solution()
    {
        using var folder = new BffTempFolder();
        using var feed = new LocalPackageFeed(folder.Path);
        await feed.PackAsync("Bff.Core");
        await feed.PackAsync("Bff.DevIdp");
        var package = await feed.PackAsync("Bff.Testing");
        var metadata = LocalPackageFeed.CheckPackage(package, "Bff.Testing");
        Assert.Superset(new HashSet<string>(["Bff.Core", "Bff.DevIdp", "Microsoft.Playwright"]), new HashSet<string>(LocalPackageFeed.Dependencies(metadata)));

        var project = Directory.CreateDirectory(Path.Combine(folder.Path, "App.Tests")).FullName;
        feed.WriteOutsideFolder(project);
        File.WriteAllText(Path.Combine(project, "App.Tests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <FrameworkReference Include="Microsoft.AspNetCore.App" />
                <PackageReference Include="Bff.Testing" Version="{feed.Version}" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{VersionOf("Microsoft.NET.Test.Sdk")}" />
                <PackageReference Include="xunit" Version="{VersionOf("xunit")}" />
                <PackageReference Include="xunit.runner.visualstudio" Version="{VersionOf("xunit.runner.visualstudio")}" />
              </ItemGroup>
              <ItemGroup>
                <None Include="realm/*.json" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);
        Directory.CreateDirectory(Path.Combine(project, "realm"));
        File.Copy(RepositoryFiles.PathOf("realm/bff-realm.json"), Path.Combine(project, "realm", "bff-realm.json"));
        File.WriteAllText(Path.Combine(project, "SignedInTests.cs"), LocalPackageFeed.FirstCSharpBlock("Bff.Testing/README.md"));

        var run = await CommandResult.RunAsync("dotnet", ["test", "-nologo", "--logger", "console;verbosity=normal"], project, timeout: TimeSpan.FromMinutes(8));
        Assert.True(run.ExitCode == 0, "the README example failed:" + Environment.NewLine + run.Output);
        // The example's one test ran and passed (an example whose test is not found would "pass" too).
        Assert.True(OnePassed().IsMatch(run.Output), "the README example's test did not run:" + Environment.NewLine + run.Output);
    }

    /// <summary>The version this solution uses (Directory.Packages.props), so the example runs on the same ones.</summary>
    private static string VersionOf(string package) =>
        XDocument.Parse(RepositoryFiles.Read("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => p.Attribute("Include")?.Value == package).Attribute("Version")!.Value;

    [GeneratedRegex(@"Total tests:\s+1\s+Passed:\s+1\b")]
    private static partial Regex OnePassed();
}
