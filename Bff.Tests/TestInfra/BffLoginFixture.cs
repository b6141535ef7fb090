using Bff.DevIdp;

namespace Bff.Tests.TestInfra;

/// <summary>
/// One DevIdp (the repository's realm/) for a test class, and BFF hosts started against it with
/// their loopback redirect URIs registered at the DevIdp at run time.
/// </summary>
public class BffLoginFixture : IAsyncLifetime
{
    public DevIdpServer Idp { get; private set; } = null!;

    public Uri Authority => Idp.Authority("bff");

    public async Task InitializeAsync() => Idp = await DevIdpServer.StartAsync(Options());

    /// <summary>The DevIdp's options; a derived fixture may change them.</summary>
    protected virtual DevIdpServerOptions Options() => new();

    public async Task DisposeAsync() => await Idp.DisposeAsync();

    /// <summary>Starts a BFF on a free port with the folder's data, and lets the DevIdp redirect to it.</summary>
    public async Task<BffHost> StartBffAsync(BffTempFolder folder, IDictionary<string, string?>? overrides = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var settings = BffHost.Settings(folder, Authority);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await BffHost.StartAsync(settings, configure: configure);
        Idp.AllowRedirectsTo(host.BaseAddress);
        return host;
    }
}
