using System.Net;
using Bff.DevIdp;
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
public sealed class PackedPackageTests
{
    private const string PackageId = "Bff.Core";

    [Fact]
    public async Task An_app_outside_the_solution_signs_a_user_in_with_the_packed_package()
    {
        using var folder = new BffTempFolder();
        using var feed = new LocalPackageFeed(folder.Path);
        var appFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "OutsideApp")).FullName;
        var package = await feed.PackAsync(PackageId);
        CheckPackageContents(package);

        WriteOutsideApp(appFolder, feed);
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

    private static void CheckPackageContents(string package)
    {
        var metadata = LocalPackageFeed.CheckPackage(package, PackageId);
        // Only the library's own dependencies: no project of this solution leaks in as a package.
        Assert.DoesNotContain(LocalPackageFeed.Dependencies(metadata), d => d.StartsWith("Bff.", StringComparison.Ordinal));
    }

    private static void WriteOutsideApp(string appFolder, LocalPackageFeed feed)
    {
        feed.WriteOutsideFolder(appFolder);
        File.WriteAllText(Path.Combine(appFolder, "OutsideApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageId}" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(appFolder, "Program.cs"), LocalPackageFeed.FirstCSharpBlock("Bff.Core/README.md"));
    }
}
