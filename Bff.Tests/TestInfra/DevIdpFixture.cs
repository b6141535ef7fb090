using Bff.DevIdp;

namespace Bff.Tests.TestInfra;

/// <summary>
/// The DevIdp on a free loopback port, serving the repository's realm/ folder, shared by a test class
/// (<c>IClassFixture&lt;DevIdpFixture&gt;</c>). Tests that change clients, stop the server or need short token
/// lifetimes start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class DevIdpFixture : IAsyncLifetime
{
    private DevIdpServer? _server;

    /// <summary>The running server.</summary>
    public DevIdpServer Server => _server ?? throw new InvalidOperationException("The DevIdp has not started.");

    /// <summary>The <c>bff</c> realm's authority (issuer), e.g. <c>http://127.0.0.1:40001/realms/bff</c>.</summary>
    public Uri Authority => Server.Authority();

    /// <summary>The realm's OIDC endpoint <paramref name="name"/> (auth, token, userinfo, logout, certs, revoke, token/introspect).</summary>
    public Uri Endpoint(string name, string realm = TestClients.Realm) => Server.Endpoint(name, realm);

    /// <summary>Starts a DevIdp of its own (dispose it), with options changed by <paramref name="configure"/>.</summary>
    public static Task<DevIdpServer> StartAsync(Action<DevIdpServerOptions>? configure = null)
    {
        var options = new DevIdpServerOptions();
        configure?.Invoke(options);
        return DevIdpServer.StartAsync(options);
    }

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
