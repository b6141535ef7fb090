using System.IO.Compression;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Bff.DevIdp;
using Bff.Tests.Production;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Build;

/// <summary>
/// Bff.Core as an app team gets it: <c>dotnet pack</c> into a temporary local feed, then an ASP.NET
/// Core app outside the solution (its own folder, nuget.config and project, nothing of this
/// repository's build files) that takes Bff.Core from that feed only, runs the package README's
/// setup code as its Program.cs, and signs a user in through the DevIdp's login form.
/// </summary>
/// <remarks>
/// Slow (a restore and a build of another app: about a minute on a loaded 2-core machine). Every run
/// packs a version of its own, so no restore cache can hand out an older build of the package; the
/// version is removed from the global packages folder afterwards.
/// </remarks>
[Trait("Speed", "Slow")]
public sealed partial class PackedPackageTests
{
    private const string PackageId = "Bff.Core";

    [Fact]
    public async Task An_app_outside_the_solution_signs_a_user_in_with_the_packed_package()
    {
        using var folder = new BffTempFolder();
        var feed = Directory.CreateDirectory(Path.Combine(folder.Path, "feed")).FullName;
        var appFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "OutsideApp")).FullName;
        var version = "0.0.0-packtest-" + Guid.NewGuid().ToString("N");
        try
        {
            var package = await PackAsync(feed, version);
            CheckPackageContents(package);

            WriteOutsideApp(appFolder, feed, version);
            var build = await CommandResult.RunAsync("dotnet", ["build", "-c", "Release", "-o", "out", "-nologo"], appFolder, timeout: TimeSpan.FromMinutes(4));
            Assert.True(build.ExitCode == 0, "the outside app did not build:" + Environment.NewLine + build.Output);
            var restored = Path.Combine(appFolder, "out", "Bff.Core.dll");
            Assert.True(File.Exists(restored), "Bff.Core.dll was not restored from the package");

            await using var idp = await DevIdpServer.StartAsync(new DevIdpServerOptions());
            using var app = ListeningProcess.Start(Path.Combine(appFolder, "out"), "OutsideApp.dll", new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Oidc__Authority"] = idp.Authority().AbsoluteUri.TrimEnd('/'),
                ["Oidc__ClientId"] = TestClients.Bff.ClientId,
                ["Oidc__ClientSecret"] = TestClients.Bff.Secret,
                ["Oidc__RequireHttpsMetadata"] = "false",
                ["ConnectionStrings__Bff"] = $"Filename={folder.DatabaseFile}",
                ["DataProtection__KeysPath"] = folder.KeysPath,
            }, "--urls", "http://127.0.0.1:0");
            var address = new Uri(await app.WaitForAddressAsync(), "/");
            idp.AllowRedirectsTo(address);

            using var browser = new BrowserClient(address);
            using var signedIn = await browser.SignInAsync(address, TestUsers.Alice.Username, TestUsers.Alice.Password, returnUrl: "/");
            // The README's app maps nothing at "/": arriving there is the end of a successful sign-in.
            Assert.True(signedIn.RequestMessage!.RequestUri == address, $"the sign-in ended at {signedIn.RequestMessage.RequestUri} ({signedIn.StatusCode}){Environment.NewLine}{app.Output}");

            using var user = await browser.GetApiAsync("/bff/user");
            var body = await user.Content.ReadAsStringAsync();
            Assert.True(user.StatusCode == HttpStatusCode.OK, $"/bff/user answered {user.StatusCode}: {body}{Environment.NewLine}{app.Output}");
            Assert.Contains("\"alice\"", body, StringComparison.Ordinal);
        }
        finally
        {
            ForgetRestoredVersion(version);
        }
    }

    /// <summary>The setup code of the package README's first csharp block: what an app team copies.</summary>
    private static string ReadmeSetupCode()
    {
        var readme = RepositoryFiles.Read("Bff.Core/README.md");
        var block = CSharpBlock().Match(readme);
        Assert.True(block.Success, "Bff.Core/README.md has no ```csharp block");
        return block.Groups["code"].Value;
    }

    private static async Task<string> PackAsync(string feed, string version)
    {
        // --no-build packs the assembly this test run was built with (the solution build before the
        // tests); a build here would rebuild Bff.Core, and everything above it, under a new version.
        var configuration = typeof(PackedPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var pack = await CommandResult.RunAsync(
            "dotnet",
            ["pack", "Bff.Core/Bff.Core.csproj", "--no-build", "-c", configuration, "-o", feed, $"-p:PackageVersion={version}", "-nologo"],
            RepositoryFiles.Root,
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(pack.ExitCode == 0, "dotnet pack failed:" + Environment.NewLine + pack.Output);
        var package = Path.Combine(feed, $"{PackageId}.{version}.nupkg");
        Assert.True(File.Exists(package), $"no {package}:{Environment.NewLine}{pack.Output}");
        return package;
    }

    private static void CheckPackageContents(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/Bff.Core.dll", entries);
        Assert.Contains("lib/net10.0/Bff.Core.xml", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);

        using var nuspecStream = zip.GetEntry($"{PackageId}.nuspec")!.Open();
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
        // Only the library's own dependencies: no project of this solution leaks in as a package.
        Assert.DoesNotContain(metadata.Descendants().Where(e => e.Name.LocalName == "dependency"), d => d.Attribute("id")!.Value.StartsWith("Bff.", StringComparison.Ordinal));
    }

    private static void WriteOutsideApp(string appFolder, string feed, string version)
    {
        // Empty build files stop MSBuild from looking further up for others (none should be there,
        // but a temp folder is not ours to vouch for).
        File.WriteAllText(Path.Combine(appFolder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(appFolder, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(appFolder, "OutsideApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageId}" Version="{version}" />
              </ItemGroup>
            </Project>
            """);

        // Source mapping: Bff.Core only from the local feed (never from a registry, even one that
        // holds a package of that name), everything else from nuget.org or the machine's package cache.
        File.WriteAllText(Path.Combine(appFolder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="bff-local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="bff-local">
                  <package pattern="{PackageId}" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(appFolder, "Program.cs"), ReadmeSetupCode());
    }

    /// <summary>Removes this run's version from the global packages folder, which would otherwise keep every run's copy.</summary>
    private static void ForgetRestoredVersion(string version)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var restored = Path.Combine(packages, PackageId.ToLowerInvariant(), version);
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

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
