using Bff.E2E.PageModels;
using Microsoft.Playwright;

namespace Bff.E2E.TestInfra;

/// <summary>
/// One signed-in browser state per user and system, made once through the real login form and
/// reused (Playwright storage state: the BFF's session cookie) by journeys that do not test login itself.
/// </summary>
public sealed class SignedInState
{
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Context options carrying <paramref name="user"/>'s session on <paramref name="system"/>.</summary>
    public async Task<BrowserNewContextOptions> ForAsync(BrowserFixture browser, BffSystem system, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(user);
        await _lock.WaitAsync();
        try
        {
            if (!_states.TryGetValue(user.Username, out var state))
            {
                await using var context = await browser.Browser.NewContextAsync();
                var page = await context.NewPageAsync();
                await page.GotoAsync(system.Url("/bff/login?returnUrl=%2Fapp"));
                await new LoginPage(page).SubmitAsync(user.Username, user.Password);
                await page.WaitForURLAsync(system.Url("/app"));
                state = await context.StorageStateAsync();
                _states[user.Username] = state;
            }

            return new BrowserNewContextOptions { StorageState = state };
        }
        finally
        {
            _lock.Release();
        }
    }
}
