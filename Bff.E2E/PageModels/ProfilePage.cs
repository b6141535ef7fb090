using Microsoft.Playwright;

namespace Bff.E2E.PageModels;

/// <summary>Bff.Web's Profile page (<c>/Profile</c>) and the layout's "signed in as".</summary>
public sealed class ProfilePage(IPage page)
{
    /// <summary>The layout's signed-in user name, on every page.</summary>
    public ILocator SignedInUser => page.Locator("#signed-in-user");

    /// <summary>The user name (<c>preferred_username</c>).</summary>
    public ILocator Username => page.Locator("#username");

    /// <summary>The first name.</summary>
    public ILocator FirstName => page.Locator("#first-name");

    /// <summary>The last name.</summary>
    public ILocator LastName => page.Locator("#last-name");

    /// <summary>The roles, comma separated.</summary>
    public ILocator Roles => page.Locator("#roles");
}
