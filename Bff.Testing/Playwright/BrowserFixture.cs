using Microsoft.Playwright;

using Xunit;

namespace Bff.Testing.Playwright;

/// <summary>
/// One headless Chromium for a test collection (<c>ICollectionFixture&lt;BrowserFixture&gt;</c> on a
/// <c>[CollectionDefinition]</c> in the test assembly); each test gets its own
/// <see cref="IBrowserContext"/> (<see cref="Journey"/>), so cookies and storage never leak between tests.
/// </summary>
/// <remarks>
/// Drives an installed Chromium (<c>BFF_CHROMIUM</c> names the binary; defaults to Debian's
/// <c>/usr/bin/chromium</c>), so a suite runs where <c>playwright install</c> cannot download browsers.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The environment variable that overrides the Chromium executable.</summary>
    public const string ChromiumVariable = "BFF_CHROMIUM";

    // --no-sandbox: the suite runs as root in containers, where Chromium's sandbox cannot start.
    // The rest keep Chromium from calling home (updates, sync, QUIC probes) and from wasting the
    // two shared cores on a GPU process.
    private static readonly string[] LaunchArguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The running browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>The Chromium executable in use.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var executable = ChromiumPath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"No Chromium at '{executable}'. Install Debian's chromium package (apt-get install -y chromium) " +
                $"or set {ChromiumVariable} to a Chromium binary. 'playwright install' cannot download browsers here.");
        }

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = LaunchArguments,
            Timeout = 60_000,
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
