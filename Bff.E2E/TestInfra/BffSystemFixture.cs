namespace Bff.E2E.TestInfra;

/// <summary>One <see cref="BffSystem"/> (DevIdp + app, default settings) per test class.</summary>
public sealed class BffSystemFixture : IAsyncLifetime
{
    private BffSystem? _stack;

    /// <summary>The running stack.</summary>
    public BffSystem Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _stack = await BffSystem.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
