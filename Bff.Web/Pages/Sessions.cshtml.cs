using Bff.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bff.Web.Pages;

/// <summary>The signed-in user's sessions: list them, end one, or end all others. Ending one revokes its refresh token.</summary>
[Authorize]
public sealed class SessionsModel(IUserSessionService sessions) : PageModel
{
    public IReadOnlyList<UserSessionInfo> Sessions { get; private set; } = [];

    /// <summary>How many sessions the last post ended (redirect after post carries it; no TempData cookie).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Ended { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Subject is not { } subject)
        {
            return Forbid();
        }

        Sessions = await sessions.ListAsync(subject, await HttpContext.GetBffSessionKeyAsync(), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEndAsync(string id, CancellationToken cancellationToken)
    {
        if (Subject is not { } subject)
        {
            return Forbid();
        }

        var current = await HttpContext.GetBffSessionKeyAsync();
        var ended = await sessions.EndOwnAsync(subject, id, SessionEndReason.EndedByUser, cancellationToken);
        if (ended && current is not null && SessionPublicId.Matches(current, id))
        {
            // This very session: the user is signed out now.
            await HttpContext.SignOutAsync(BffAuthenticationDefaults.CookieScheme);
            return Redirect("/");
        }

        return RedirectToPage(new { ended = ended ? 1 : 0 });
    }

    public async Task<IActionResult> OnPostEndOthersAsync(CancellationToken cancellationToken)
    {
        if (Subject is not { } subject)
        {
            return Forbid();
        }

        var current = await HttpContext.GetBffSessionKeyAsync();
        var count = await sessions.EndAllAsync(new SessionFilter(Subject: subject), SessionEndReason.EndedByUser, current ?? "", cancellationToken);
        return RedirectToPage(new { ended = count });
    }

    private string? Subject => User.FindFirst("sub")?.Value is { Length: > 0 } sub ? sub : null;
}
