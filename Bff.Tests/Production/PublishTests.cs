using System.Net;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Production;

/// <summary>
/// Docker cannot run here, so the image's build step is exercised as far as this machine allows:
/// the Dockerfile's own <c>dotnet publish</c> command, then the published app started the way the
/// image starts it (<c>dotnet Bff.Web.dll</c> in the publish folder, Production, configured only by
/// the contract's environment variables), its health endpoints asked, and the image's HEALTHCHECK
/// script run against it.
/// </summary>
public sealed class PublishTests(PublishTests.PublishOutput published) : IClassFixture<PublishTests.PublishOutput>
{
    [Fact]
    public void The_published_app_holds_no_development_tooling()
    {
        var assemblies = Directory.EnumerateFiles(published.Path, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();

        Assert.Contains("Bff.Web.dll", assemblies);
        Assert.Contains("Bff.Core.dll", assemblies);
        // The development identity provider, its OpenIddict server and the launcher stay out of production.
        Assert.DoesNotContain(assemblies, a => a!.StartsWith("Bff.DevIdp", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(assemblies, a => a!.StartsWith("Bff.AppHost", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(assemblies, a => a!.StartsWith("OpenIddict", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("OpenIddict", File.ReadAllText(System.IO.Path.Combine(published.Path, "Bff.Web.deps.json")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_published_assemblies_are_ReadyToRun()
    {
        // A ReadyToRun image carries a managed native header (crossgen2's pre-compiled code); an
        // IL-only assembly has none. Checked on the app's own assemblies, which only the publish compiles.
        foreach (var name in new[] { "Bff.Web.dll", "Bff.Core.dll" })
        {
            using var stream = File.OpenRead(Path.Combine(published.Path, name));
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, name + " is not ReadyToRun");
        }
    }

    [Fact]
    public async Task The_published_app_starts_from_environment_variables_and_reports_healthy()
    {
        using var folder = new BffTempFolder();
        var output = published.Path;
        Assert.True(File.Exists(Path.Combine(output, "Bff.Web.dll")));

        await using var idp = await DevIdpServer.StartAsync(new DevIdpServerOptions());
        using var app = ListeningProcess.Start(output, "Bff.Web.dll", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Oidc__Authority"] = idp.Authority().ToString(),
            ["Oidc__ClientId"] = "bff",
            ["Oidc__ClientSecret"] = "bff-dev-secret",
            ["Oidc__RequireHttpsMetadata"] = "false",
            ["Bff__LogoutMode"] = "Keycloak",
            ["ConnectionStrings__Bff"] = $"Filename={folder.DatabaseFile}",
            ["DataProtection__KeysPath"] = folder.KeysPath,
        });

        var address = await app.WaitForAddressAsync();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");
        using var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, "ready answered " + ready.StatusCode + Environment.NewLine + app.Output);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Keycloak", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder.KeysPath) && Directory.EnumerateFiles(folder.KeysPath).Any(), "no Data Protection key was persisted");

        var check = Assert.Single(Dockerfile.Load().All("HEALTHCHECK"));
        var script = System.Text.Json.JsonSerializer.Deserialize<string[]>(check[(check.IndexOf("CMD", StringComparison.Ordinal) + 3)..].Trim())![2];
        var probe = await CommandResult.RunAsync("bash", ["-c", script.Replace("/127.0.0.1/8080", $"/127.0.0.1/{address.Port}", StringComparison.Ordinal)], RepositoryFiles.Root);
        Assert.True(probe.ExitCode == 0, probe.Output);
    }

    /// <summary>The Dockerfile's restore and publish steps, with the output folder moved to <paramref name="output"/>.</summary>
    private static async Task PublishAsync(string output)
    {
        // The ReadyToRun restore has its own intermediate folder (Directory.Build.props), which the
        // solution build did not restore.
        var restore = await CommandResult.RunAsync("dotnet", ["restore", .. DockerfileTests.RestoreCommand(), "-v", "quiet"], RepositoryFiles.Root);
        Assert.True(restore.ExitCode == 0, restore.Output);
        var arguments = DockerfileTests.PublishCommand().ToList();
        var o = arguments.IndexOf("-o");
        arguments[o + 1] = output;
        var publish = await CommandResult.RunAsync("dotnet", ["publish", .. arguments, "-nologo", "-v", "quiet"], RepositoryFiles.Root);
        Assert.True(publish.ExitCode == 0, publish.Output);
    }

    /// <summary>The Dockerfile's publish output, published once for the class.</summary>
    public sealed class PublishOutput : IAsyncLifetime
    {
        private readonly BffTempFolder _folder = new();

        public string Path => System.IO.Path.Combine(_folder.Path, "publish");

        public Task InitializeAsync() => PublishAsync(Path);

        public Task DisposeAsync()
        {
            _folder.Dispose();
            return Task.CompletedTask;
        }
    }
}
