using Bff.DevIdp;

namespace Bff.Tests.TestInfra;

/// <summary>One DevIdp serving the Keycloak exports of <see cref="ExportedRealms"/>, shared by a test class.</summary>
public sealed class ExportedRealmsFixture : IAsyncLifetime
{
    private DevIdpServer? _server;

    /// <summary>The running server.</summary>
    public DevIdpServer Server => _server ?? throw new InvalidOperationException("The DevIdp has not started.");

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await ExportedRealms.StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
