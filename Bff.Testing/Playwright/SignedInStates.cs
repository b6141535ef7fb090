using Microsoft.Playwright;

namespace Bff.Testing.Playwright;

/// <summary>
/// One signed-in browser state per user for an app that uses Bff.Core: made once through the real
/// browser flow (<c>/bff/login</c>, the identity provider's login form, back to the app) and kept as
/// Playwright storage state (the app's session cookie, and the identity provider's SSO cookie), so
/// every test that does not test login itself starts signed in:
/// <c>browser.NewContextAsync(await states.ForAsync(browser, user))</c>.
/// </summary>
/// <param name="app">The app's root address (as the browser uses it).</param>
/// <param name="returnUrl">The local URL the sign-in returns to, and waits for. Defaults to <c>/</c>.</param>
public sealed class SignedInStates(Uri app, string returnUrl = "/") : IDisposable
{
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>The app's root address.</summary>
    public Uri App { get; } = app ?? throw new ArgumentNullException(nameof(app));

    /// <summary>Context options carrying <paramref name="user"/>'s signed-in state (signing in first, once per user).</summary>
    public async Task<BrowserNewContextOptions> ForAsync(IBrowser browser, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new BrowserNewContextOptions { StorageState = await StateOfAsync(browser, user.Username, user.Password) };
    }

    /// <inheritdoc cref="ForAsync(IBrowser, TestUser)"/>
    public Task<BrowserNewContextOptions> ForAsync(BrowserFixture browser, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(browser);
        return ForAsync(browser.Browser, user);
    }

    /// <summary>Writes <paramref name="user"/>'s state to a file (Playwright's storage-state JSON) and returns its path, for tools that take a file.</summary>
    public async Task<string> SaveAsync(IBrowser browser, TestUser user, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        await File.WriteAllTextAsync(path, await StateOfAsync(browser, user.Username, user.Password));
        return path;
    }

    /// <summary>Forgets a user's state (after a test ended that user's sessions).</summary>
    public async Task ForgetAsync(TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await _lock.WaitAsync();
        try
        {
            _states.Remove(user.Username);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private async Task<string> StateOfAsync(IBrowser browser, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(browser);
        await _lock.WaitAsync();
        try
        {
            if (!_states.TryGetValue(username, out var state))
            {
                await using var context = await browser.NewContextAsync();
                context.SetDefaultTimeout(Journey.DefaultTimeoutMs);
                context.SetDefaultNavigationTimeout(Journey.DefaultTimeoutMs);
                var page = await context.NewPageAsync();
                var landing = new Uri(App, returnUrl);
                await page.GotoAsync(new Uri(App, "/bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString());
                await new LoginPage(page).SubmitAsync(username, password);
                await page.WaitForURLAsync(landing.ToString());
                state = await context.StorageStateAsync();
                _states[username] = state;
            }

            return state;
        }
        finally
        {
            _lock.Release();
        }
    }
}
