using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.Testing.Playwright;

/// <summary>
/// The identity provider's login form, found by Keycloak's own element ids (form
/// <c>#kc-form-login</c>, inputs <c>#username</c> and <c>#password</c>, submit <c>#kc-login</c>),
/// so the same page object drives Bff.DevIdp and a real Keycloak.
/// </summary>
public sealed class LoginPage(IPage page)
{
    /// <summary>The login form.</summary>
    public ILocator Form => page.Locator("#kc-form-login");

    /// <summary>The message shown for a failed sign-in (Keycloak's <c>#input-error</c>).</summary>
    public ILocator Error => page.Locator("#input-error");

    /// <summary>Waits until the login form is shown.</summary>
    public Task ExpectShownAsync() => Expect(Form).ToBeVisibleAsync();

    /// <summary>Fills the form and submits it. Does not wait for where the browser goes next.</summary>
    public async Task SubmitAsync(string username, string password)
    {
        await ExpectShownAsync();
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#kc-login").ClickAsync();
    }
}
