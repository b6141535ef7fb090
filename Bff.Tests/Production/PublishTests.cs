using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
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
public sealed partial class PublishTests(PublishTests.PublishOutput published) : IClassFixture<PublishTests.PublishOutput>
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
    public async Task The_published_app_starts_from_environment_variables_and_reports_healthy()
    {
        using var folder = new BffTempFolder();
        var output = published.Path;
        Assert.True(File.Exists(Path.Combine(output, "Bff.Web.dll")));

        await using var idp = await DevIdpServer.StartAsync(new DevIdpServerOptions());
        using var app = StartPublished(output, new Dictionary<string, string>
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
        Assert.Equal(0, await RunAsync("bash", ["-c", script.Replace("/127.0.0.1/8080", $"/127.0.0.1/{address.Port}", StringComparison.Ordinal)], RepositoryFiles.Root));
    }

    /// <summary>The Dockerfile's publish step, with the output folder moved to <paramref name="output"/>.</summary>
    private static async Task PublishAsync(string output)
    {
        var arguments = DockerfileTests.PublishCommand().ToList();
        var o = arguments.IndexOf("-o");
        arguments[o + 1] = output;
        // The Dockerfile restores in its own layer first; here the solution build already restored.
        var exit = await RunAsync("dotnet", ["publish", .. arguments, "-nologo", "-v", "quiet"], RepositoryFiles.Root);
        Assert.Equal(0, exit);
    }

    private static async Task<int> RunAsync(string file, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            Console.WriteLine(await stdout);
            Console.WriteLine(await stderr);
        }

        return process.ExitCode;
    }

    private static PublishedApp StartPublished(string output, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("Bff.Web.dll");
        // Only the contract's variables: nothing inherited from the test run's own ASP.NET settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new PublishedApp(Process.Start(start)!);
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex Listening();

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

    private sealed class PublishedApp : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _output = new();
        private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PublishedApp(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Read(e.Data);
            _process.ErrorDataReceived += (_, e) => Read(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public async Task<Uri> WaitForAddressAsync()
        {
            var done = await Task.WhenAny(_address.Task, Task.Delay(TimeSpan.FromMinutes(2)), _process.WaitForExitAsync());
            Assert.True(done == _address.Task, "the published app did not start listening:" + Environment.NewLine + Output);
            return await _address.Task;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }

        private void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (Listening().Match(line) is { Success: true } match)
            {
                _address.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        }
    }
}
