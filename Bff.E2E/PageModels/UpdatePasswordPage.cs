using Microsoft.Playwright;

namespace Bff.E2E.PageModels;

/// <summary>Keycloak's (and the DevIdp's) UPDATE_PASSWORD page: form <c>kc-passwd-update-form</c>, Cancel <c>cancel-aia</c>.</summary>
public sealed class UpdatePasswordPage(IPage page)
{
    /// <summary>The form.</summary>
    public ILocator Form => page.Locator("#kc-passwd-update-form");

    /// <summary>Sets the new password twice and submits.</summary>
    public async Task SubmitAsync(string newPassword)
    {
        await page.Locator("#password-new").FillAsync(newPassword);
        await page.Locator("#password-confirm").FillAsync(newPassword);
        await page.Locator("#kc-submit").ClickAsync();
    }
}
