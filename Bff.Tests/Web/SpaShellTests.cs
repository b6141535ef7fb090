using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.FileProviders;

namespace Bff.Tests.Web;

/// <summary>
/// The SPA's page carries the BFF's endpoint paths from the server's options, and the SPA's code
/// names none of its own.
/// </summary>
public sealed partial class SpaShellTests
{
    private static readonly string WebRoot = RepositoryFiles.PathOf("Bff.Web/wwwroot");

    [Fact]
    public async Task The_page_carries_the_configured_endpoint_paths()
    {
        using var folder = new BffTempFolder();
        var settings = BffHost.Settings(folder, new Uri("http://127.0.0.1:9/realms/bff"));
        settings["Bff:UserPath"] = "/auth/me";
        settings["Bff:LoginPath"] = "/auth/sign-in";
        settings["Bff:Account:Path"] = "/auth/account";
        await using var host = await StartAsync(settings);
        using var client = host.CreateRawClient();

        var paths = await PathsOfPageAsync(client);

        Assert.Equal("/auth/me", paths["user"]);
        Assert.Equal("/auth/sign-in", paths["login"]);
        Assert.Equal("/auth/account", paths["account"]);
        Assert.Equal("/bff/logout", paths["logout"]);
        Assert.Equal("/bff/sessions", paths["sessions"]);
        Assert.Equal("/bff/events", paths["events"]);
    }

    [Fact]
    public void The_SPA_s_code_names_no_BFF_path_of_its_own()
    {
        // Only strings count: comments may say where an endpoint is by default.
        var named = Directory.EnumerateFiles(Path.Combine(WebRoot, "app"))
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".html", StringComparison.Ordinal))
            .SelectMany(f => BffPathInString().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"));

        Assert.Empty(named);
    }

    private static async Task<Dictionary<string, string>> PathsOfPageAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/app", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var content = PathsMeta().Match(page);
        Assert.True(content.Success, "no <meta name=\"bff-paths\"> with content in the page");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(WebUtility.HtmlDecode(content.Groups[1].Value))!;
    }

    private static Task<BffHost> StartAsync(IDictionary<string, string?> settings) =>
        BffHost.StartAsync(settings, configure: builder =>
        {
            // The in-process host's web root is the test's bin folder; serve the app's real SPA.
            builder.Environment.WebRootPath = WebRoot;
            builder.Environment.WebRootFileProvider = new PhysicalFileProvider(WebRoot);
        });

    [GeneratedRegex("<meta name=\"bff-paths\" content=\"([^\"]+)\">")]
    private static partial Regex PathsMeta();

    [GeneratedRegex("['\"`]/bff/")]
    private static partial Regex BffPathInString();
}
