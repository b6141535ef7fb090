using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.PageModels;

/// <summary>
/// The identity provider's one-time code form (Keycloak's OTP Form: form <c>#kc-otp-login-form</c>, input
/// <c>#otp</c>, submit <c>#kc-login</c>), shown when a login asks for a level the session has not reached.
/// </summary>
public sealed class OneTimeCodePage(IPage page)
{
    /// <summary>The one-time code form.</summary>
    public ILocator Form => page.Locator("#kc-otp-login-form");

    /// <summary>Waits for the form, enters <paramref name="code"/> and submits it. Does not wait for where the browser goes next.</summary>
    public async Task SubmitAsync(string code)
    {
        await Expect(Form).ToBeVisibleAsync();
        await page.Locator("#otp").FillAsync(code);
        await page.Locator("#kc-login").ClickAsync();
    }
}
