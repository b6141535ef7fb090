using Bff.DevIdp;
using Bff.DevIdp.Downstream;
using Bff.Web;
using Microsoft.AspNetCore.Builder;

namespace Bff.E2E.TestInfra;

/// <summary>
/// The whole system on loopback: Bff.DevIdp serving realm/, the downstream test API behind the
/// app's <c>/api/remote/</c>, and Bff.Web (the real app, built as Program.cs builds it) signing in
/// against the DevIdp, each on a free port, with a fresh data folder.
/// </summary>
/// <remarks>
/// The app is addressed as <c>127.0.0.1</c> and the DevIdp as <c>localhost</c>: two different
/// sites for the browser, as a real Keycloak on its own host name is. That is the case where a
/// <c>SameSite=Strict</c> session cookie loops, so every login journey proves the cookie's mode
/// survives the real cross-site redirect back.
/// </remarks>
public sealed class BffSystem : IAsyncDisposable
{
    private readonly string _dataFolder;

    private BffSystem(DevIdpServer idp, DownstreamApiServer downstream, WebApplication app, Uri address, Uri authority, string dataFolder)
    {
        Idp = idp;
        Downstream = downstream;
        App = app;
        Address = address;
        Authority = authority;
        _dataFolder = dataFolder;
    }

    /// <summary>The DevIdp.</summary>
    public DevIdpServer Idp { get; }

    /// <summary>The downstream API the app proxies <c>/api/remote/</c> to.</summary>
    public DownstreamApiServer Downstream { get; }

    /// <summary>The BFF app.</summary>
    public WebApplication App { get; }

    /// <summary>The app's root as the browser uses it (<c>http://127.0.0.1:{port}/</c>).</summary>
    public Uri Address { get; }

    /// <summary>The realm's issuer as the browser and the app use it (<c>http://localhost:{port}/realms/bff</c>).</summary>
    public Uri Authority { get; }

    /// <summary>The app's services (session store, user store...).</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>An absolute URL of the app.</summary>
    public string Url(string relative) => new Uri(Address, relative.TrimStart('/')).ToString();

    /// <summary>Starts the DevIdp, then the app against it, and registers the app's URLs with the client <c>bff</c>.</summary>
    public static async Task<BffSystem> StartAsync(
        Action<DevIdpServerOptions>? configureIdp = null, IDictionary<string, string?>? settings = null)
    {
        var idpOptions = new DevIdpServerOptions();
        configureIdp?.Invoke(idpOptions);
        var idp = await DevIdpServer.StartAsync(idpOptions);
        var authority = new UriBuilder(idp.Authority("bff")) { Host = "localhost" }.Uri;
        var downstream = await DownstreamApiServer.StartAsync(new DownstreamApiServerOptions { Authority = authority, ClockSkew = TimeSpan.Zero });
        var dataFolder = NewDataFolder();
        var (app, address) = await StartAppAsync(AppSettings(authority, downstream, dataFolder, settings));

        idp.AllowRedirectsTo(address);
        idp.ConfigureClient("bff", "bff", client => client.BackchannelLogoutUrl = new Uri(address, "bff/backchannel"));
        return new BffSystem(idp, downstream, app, address, authority, dataFolder);
    }

    /// <summary>A fresh, empty folder for one app's files (its LiteDB file, its key folder).</summary>
    internal static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "bff-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The app's settings against a DevIdp realm and the downstream API, <paramref name="overrides"/> last.</summary>
    internal static Dictionary<string, string?> AppSettings(Uri authority, DownstreamApiServer downstream, string dataFolder, IDictionary<string, string?>? overrides = null)
    {
        var configuration = BffTestSettings.For(authority, TestClients.Bff, dataFolder, downstream.BaseAddress);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return configuration;
    }

    /// <summary>Builds Bff.Web as Program.cs does (Production) and starts it on a free loopback port.</summary>
    internal static async Task<(WebApplication App, Uri Address)> StartAppAsync(IDictionary<string, string?> configuration)
    {
        // The content root is the app's project folder, so its wwwroot (the SPA) is served as in `dotnet run`.
        var builder = BffWebApp.CreateBuilder(LoopbackApp.Arguments("Production", RepositoryFiles.PathOf("Bff.Web"))).WithSettings(configuration);
        var app = await BffWebApp.BuildAsync(builder);
        var address = await app.StartOnLoopbackAsync();
        return (app, address);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.StopAndDisposeAsync();
        await Downstream.DisposeAsync();
        await Idp.DisposeAsync();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a host that is shutting down; the temp folder is cleaned eventually.
        }
    }
}
