using System.Net;
using System.Text.Json;
using Bff.AppHost;
using Bff.Login;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Tests.AppHost;

/// <summary>
/// The development launcher (what the README's run command starts): the DevIdp, the downstream test
/// API and Bff.Web configured for both, each on a free loopback port here instead of 8080 and 5000.
/// </summary>
public sealed class DevelopmentHostTests
{
    [Fact]
    public async Task The_launcher_signs_users_in_against_its_DevIdp_and_proxies_to_its_downstream_API()
    {
        using var folder = new BffTempFolder();
        await using var host = await StartAsync(folder);

        var authority = new Uri(host.App.Services.GetRequiredService<IOptions<BffOidcOptions>>().Value.Authority);
        Assert.Equal(host.Idp.Authority(DevelopmentHost.Realm).AbsoluteUri.TrimEnd('/'), authority.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("Development", host.App.Environment.EnvironmentName);

        using var browser = new BrowserClient(BaseAddress(host));
        using var signedIn = await browser.SignInAsync(BaseAddress(host), TestUsers.Alice.Username, TestUsers.Alice.Password);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("/Profile", signedIn.RequestMessage!.RequestUri!.AbsolutePath);

        using var user = await browser.GetApiAsync("/bff/user");
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Contains("\"alice\"", await user.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var whoami = await browser.GetApiAsync("/api/remote/whoami");
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        using var answer = JsonDocument.Parse(await whoami.Content.ReadAsStringAsync());
        Assert.Equal("alice", answer.RootElement.GetProperty("preferred_username").GetString());
        Assert.NotNull(host.Downstream);
        Assert.Equal("/whoami", answer.RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Every_DevIdp_setting_reaches_the_DevIdp()
    {
        using var folder = new BffTempFolder();
        await using var host = await StartAsync(folder, new Dictionary<string, string?>
        {
            // Both differ from the realm file and the DevIdp's defaults (300 s; pushed authorization on).
            ["DevIdp:AccessTokenLifespan"] = "123",
            ["DevIdp:PushedAuthorization"] = "false",
        });

        using var browser = new BrowserClient(BaseAddress(host));
        using var signedIn = await browser.SignInAsync(BaseAddress(host), TestUsers.Bob.Username, TestUsers.Bob.Password);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        using var whoami = await browser.GetApiAsync("/api/remote/whoami");
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        using var answer = JsonDocument.Parse(await whoami.Content.ReadAsStringAsync());

        var lifetime = answer.RootElement.GetProperty("token_expires_at").GetInt64() - answer.RootElement.GetProperty("token_issued_at").GetInt64();
        Assert.Equal(123, lifetime);
        Assert.Equal(0, host.Idp.PushedAuthorizationRequests);
    }

    [Fact]
    public async Task Configured_remote_APIs_replace_the_downstream_test_API()
    {
        using var folder = new BffTempFolder();
        await using var host = await StartAsync(folder, new Dictionary<string, string?>
        {
            ["Bff:RemoteApis:Orders:Path"] = "/api/orders",
            ["Bff:RemoteApis:Orders:Destination"] = "http://127.0.0.1:9/",
        });

        Assert.Null(host.Downstream);
        var apis = host.App.Services.GetRequiredService<IOptions<BffOptions>>().Value.RemoteApis;
        Assert.Equal(["Orders"], apis.Keys);
    }

    private static async Task<DevelopmentHost> StartAsync(BffTempFolder folder, IDictionary<string, string?>? overrides = null)
    {
        var settings = BffHost.Settings(folder, new Uri("http://replaced-by-the-launcher.example/"));
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await DevelopmentHost.BuildAsync(
            ["--urls", LoopbackApp.Urls, "--DevIdp:Urls=" + LoopbackApp.Urls],
            builder => builder.Configuration.AddInMemoryCollection(settings));
        try
        {
            await host.App.StartAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static Uri BaseAddress(DevelopmentHost host) => host.App.Services.BoundAddress();
}
