using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bff.Tests.Production;

/// <summary>
/// The container health checks are bash one-liners (neither image has curl). They run here
/// verbatim, against a stand-in server on a free port, to prove they pass on 200 and fail
/// otherwise; only the port is rewritten.
/// </summary>
public sealed class HealthProbeTests
{
    [Theory]
    [InlineData(200, 0)]
    [InlineData(503, 1)]
    public async Task The_image_health_check_passes_only_when_the_app_is_live(int status, int expectedExit)
    {
        var check = Assert.Single(Dockerfile.Load().All("HEALTHCHECK"));
        var script = BashScript(check[check.IndexOf("CMD", StringComparison.Ordinal)..]);
        await using var server = await StandInAsync("/health/live", status);

        var exit = await RunBashAsync(script.Replace("/127.0.0.1/8080", $"/127.0.0.1/{server.BaseAddress.Port}", StringComparison.Ordinal));

        Assert.Equal(expectedExit, Math.Min(exit, 1));
    }

    [Theory]
    [InlineData(200, 0)]
    [InlineData(503, 1)]
    public async Task The_Keycloak_health_check_passes_only_when_Keycloak_is_ready(int status, int expectedExit)
    {
        var test = ComposeFile.Load().Service("keycloak").Mapping("healthcheck")!
            .Children[new YamlDotNet.RepresentationModel.YamlScalarNode("test")];
        var parts = ((YamlDotNet.RepresentationModel.YamlSequenceNode)test).Children.Select(c => c.ToString()).ToList();
        Assert.Equal(["CMD", "bash", "-c"], parts[..3]);
        // compose turns "$$" into "$" before the container sees it.
        var script = parts[3].Replace("$$", "$", StringComparison.Ordinal);
        await using var server = await StandInAsync("/health/ready", status);

        var exit = await RunBashAsync(script.Replace("/127.0.0.1/9000", $"/127.0.0.1/{server.BaseAddress.Port}", StringComparison.Ordinal));

        Assert.Equal(expectedExit, Math.Min(exit, 1));
    }

    [Fact]
    public async Task The_image_health_check_fails_when_nothing_listens()
    {
        var check = Assert.Single(Dockerfile.Load().All("HEALTHCHECK"));
        int freePort;
        await using (var server = await StandInAsync("/health/live", 200))
        {
            freePort = server.BaseAddress.Port;
        }

        var exit = await RunBashAsync(BashScript(check[check.IndexOf("CMD", StringComparison.Ordinal)..])
            .Replace("/127.0.0.1/8080", $"/127.0.0.1/{freePort}", StringComparison.Ordinal));

        Assert.NotEqual(0, exit);
    }

    /// <summary>The script of an exec-form <c>CMD ["bash", "-c", "..."]</c>, JSON-unescaped.</summary>
    private static string BashScript(string cmd)
    {
        var json = cmd["CMD".Length..].Trim();
        var args = System.Text.Json.JsonSerializer.Deserialize<string[]>(json)!;
        Assert.Equal(["bash", "-c"], args[..2]);
        return args[2];
    }

    private static async Task<int> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    private static Task<LoopbackSite> StandInAsync(string path, int status) =>
        LoopbackSite.StartAsync(app => app.MapGet(path, () => Results.Text("probe", statusCode: status)));
}
