using Bff.DevIdp;

namespace Bff.E2E.TestInfra;

/// <summary>
/// One <see cref="BffSystem"/> (DevIdp + app) per test class: default settings, or a derived fixture's
/// DevIdp options and app settings.
/// </summary>
public class BffSystemFixture : IAsyncLifetime
{
    private readonly Action<DevIdpServerOptions>? _configureIdp;
    private readonly IDictionary<string, string?>? _settings;
    private BffSystem? _system;

    /// <summary>A system with default settings.</summary>
    public BffSystemFixture()
    {
    }

    /// <summary>A system with these DevIdp options and app settings (see <see cref="BffSystem.StartAsync"/>).</summary>
    protected BffSystemFixture(Action<DevIdpServerOptions>? configureIdp, IDictionary<string, string?>? settings)
    {
        _configureIdp = configureIdp;
        _settings = settings;
    }

    /// <summary>The running system.</summary>
    public BffSystem System => _system ?? throw new InvalidOperationException("The system has not started.");

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _system = await BffSystem.StartAsync(_configureIdp, _settings);

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_system is not null)
        {
            await _system.DisposeAsync();
        }
    }
}
