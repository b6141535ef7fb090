using Microsoft.Playwright;

namespace Bff.E2E.TestInfra;

/// <summary>
/// One Chromium for the whole E2E run (started once, shared by every journey through the
/// <see cref="BrowserGroup"/>); each journey gets its own <see cref="IBrowserContext"/>, so
/// cookies and storage never leak between tests.
/// </summary>
/// <remarks>
/// Playwright cannot download its own browsers here, so the suite drives the system's Chromium
/// (Debian's package; <c>BFF_CHROMIUM</c> names another binary). Never call <c>playwright install</c>.
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

        _playwright = await Playwright.CreateAsync();
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

/// <summary>Every journey shares the one browser; xunit runs the collection's tests one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserFixture>
{
    /// <summary>The collection name journeys put in their <c>[Collection]</c> attribute.</summary>
    public const string Name = "browser";
}
