using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.PageModels;

/// <summary>The notes SPA at <c>/app</c> (plain ES modules in Bff.Web/wwwroot/app).</summary>
public sealed class SpaPage(IPage page)
{
    /// <summary>"Signed in as ..." or "Not signed in."</summary>
    public ILocator SessionState => page.Locator("#session-state");

    /// <summary>The sign-in link, shown when anonymous.</summary>
    public ILocator LoginLink => page.Locator("#login-link");

    /// <summary>The sign-out link (its URL carries the session's sid), shown when signed in.</summary>
    public ILocator LogoutLink => page.Locator("#logout-link");

    /// <summary>The signed-in user name.</summary>
    public ILocator UserName => page.Locator("#user-name");

    /// <summary>The signed-in user's roles, comma separated.</summary>
    public ILocator UserRoles => page.Locator("#user-roles");

    /// <summary>The note titles in the list.</summary>
    public ILocator NoteTitles => page.Locator("#notes-list .note-title");

    /// <summary>The answer of the remote API, as JSON text.</summary>
    public ILocator RemoteResult => page.Locator("#remote-result");

    /// <summary>The status line (errors such as "session ended").</summary>
    public ILocator Status => page.Locator("#status");

    /// <summary>The user's sessions in the "Your sessions" list, this browser's included.</summary>
    public ILocator Sessions => page.Locator("#sessions-list .session");

    /// <summary>The entry of this browser's own session.</summary>
    public ILocator CurrentSession => page.Locator("#sessions-list .session.current");

    /// <summary>The button that signs out every other session.</summary>
    public ILocator EndOtherSessions => page.Locator("#sessions-end-others");

    /// <summary>The button of the sensitive action (<c>/api/security</c>, level 2).</summary>
    public ILocator SecurityCall => page.Locator("#security-call");

    /// <summary>The sensitive action's answer, as JSON text.</summary>
    public ILocator SecurityResult => page.Locator("#security-result");

    /// <summary>The step-up offer's link to the stronger sign-in, shown when an action needs it.</summary>
    public ILocator StepUpLink => page.Locator("#step-up-link");

    /// <summary>Waits until the SPA shows a signed-in user.</summary>
    public Task ExpectSignedInAsync(string username) => Expect(UserName).ToHaveTextAsync(username);

    /// <summary>Adds a note through the form and waits until the list shows it.</summary>
    public async Task AddNoteAsync(string title, string text)
    {
        await page.Locator("#note-title").FillAsync(title);
        await page.Locator("#note-text").FillAsync(text);
        await page.Locator("#note-save").ClickAsync();
        await Expect(NoteTitles.Filter(new() { HasTextString = title })).ToHaveCountAsync(1);
    }

    /// <summary>
    /// The claims <c>/bff/user</c> answers this browser right now (type to value; the first of repeated types),
    /// fetched by the page as the SPA does.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> UserClaimsAsync()
    {
        var claims = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async () => (await fetch('/bff/user', { headers: { 'X-CSRF': '1' }, cache: 'no-store' })).json()");
        var byType = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in claims.EnumerateArray())
        {
            byType.TryAdd(claim.GetProperty("type").GetString()!, claim.GetProperty("value").GetString()!);
        }

        return byType;
    }

    /// <summary>Calls the remote API and waits for its JSON answer (or an error in the status line).</summary>
    public async Task CallRemoteAsync()
    {
        // Clear the previous answer so that the wait below sees this call's.
        await RemoteResult.EvaluateAsync("e => e.textContent = ''");
        await page.Locator("#remote-call").ClickAsync();
        await Expect(RemoteResult).Not.ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Calling\\.\\.\\.)?$"));
    }
}
