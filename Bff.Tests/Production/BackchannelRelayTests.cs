using System.Net;
using System.Text.RegularExpressions;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Production;

/// <summary>
/// compose.yml's back-channel relay (deploy/backchannel-relay.conf) run by a real nginx on loopback,
/// its two service names pointed at receivers here: Keycloak's logout token reaches the one-instance
/// BFF and, copied, the scale profile's load balancer; the relay still forwards when the load
/// balancer is not there (the default profile).
/// </summary>
public sealed partial class BackchannelRelayTests
{
    [Fact]
    public async Task A_backchannel_logout_reaches_the_one_instance_BFF_and_the_replicas_load_balancer()
    {
        await using var bff = await CapturingServer.StartAsync();
        await using var lb = await CapturingServer.StartAsync();
        await using var relay = await StartRelayAsync(bff.BaseAddress, lb.BaseAddress);

        using var response = await PostLogoutTokenAsync(relay, "a.logout.token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var receiver in new[] { bff, lb })
        {
            var received = await receiver.NextRequestAsync();
            Assert.Equal(("POST", "/bff/backchannel"), (received.Method, received.Path));
            Assert.Equal("a.logout.token", received.Form["logout_token"]);
        }
    }

    [Fact]
    public async Task Without_the_scale_profile_the_relay_still_answers_with_the_BFF_s_answer()
    {
        await using var bff = await CapturingServer.StartAsync();
        bff.StatusCode = 400;

        // Nothing listens where the load balancer would be.
        await using var relay = await StartRelayAsync(bff.BaseAddress, new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}/"));
        using var response = await PostLogoutTokenAsync(relay, "refused.logout.token");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("refused.logout.token", (await bff.NextRequestAsync()).Form["logout_token"]);
    }

    private static async Task<HttpResponseMessage> PostLogoutTokenAsync(Relay relay, string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("logout_token", token)]);
        return await http.PostAsync(new Uri(relay.Address, "/bff/backchannel"), form);
    }

    /// <summary>nginx on the relay's config, its listen port and the services <c>bff</c> and <c>lb</c> moved to loopback.</summary>
    private static async Task<Relay> StartRelayAsync(Uri bff, Uri lb)
    {
        var folder = ServerProcess.NewFolder("relay");
        var port = ServerProcess.FreePort();
        var config = RepositoryFiles.Read("deploy/backchannel-relay.conf")
            .Replace("listen 5000;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace("bff:8080", $"127.0.0.1:{bff.Port}", StringComparison.Ordinal)
            .Replace("lb:8080", $"127.0.0.1:{lb.Port}", StringComparison.Ordinal)
            .Replace("access_log /dev/stdout;", $"access_log {folder}/access.log; client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;", StringComparison.Ordinal);
        Assert.DoesNotMatch(ServiceAddress(), config);
        var file = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(file, config);
        var nginx = ServerProcess.Start(
            ServerProcess.FindBinary("BFF_NGINX", "nginx", "/usr/sbin/nginx"),
            ["-p", folder + "/", "-c", file, "-e", Path.Combine(folder, "error.log"), "-g", $"daemon off; pid {folder}/nginx.pid;"],
            folder);
        var relay = new Relay(nginx, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await nginx.WaitUntilAsync(() => ServerProcess.AcceptsConnectionsAsync(port), "the relay's nginx", TimeSpan.FromSeconds(30));
            return relay;
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }

    private sealed record Relay(ServerProcess Nginx, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Nginx.DisposeAsync();
    }

    /// <summary>A compose service name left in the config (every one must have been moved to loopback).</summary>
    [GeneratedRegex(@"\b(bff|lb):\d+")]
    private static partial Regex ServiceAddress();
}
