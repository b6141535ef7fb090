using Bff.Sessions;
using Bff.Users;
using Bff.Web.Extensions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bff.Web.Pages;

/// <summary>The mapped local users; administrators only.</summary>
[Authorize(Policy = WebPolicies.Admin)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class UsersModel(IUserStore users, IUserSessionService sessions) : PageModel
{
    public IReadOnlyList<BffUser> Users { get; private set; } = [];

    /// <summary>How many sessions the last "End all sessions" ended (carried by the redirect after post).</summary>
    [BindProperty(SupportsGet = true)]
    public int? EndedSessions { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Users = await users.ListAsync(cancellationToken);

    /// <summary>Ends every BFF session of a user (their refresh tokens are revoked); administrators only, like the page.</summary>
    public async Task<IActionResult> OnPostEndSessionsAsync(string subject, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return BadRequest();
        }

        var count = await sessions.EndAllAsync(new SessionFilter(Subject: subject), SessionEndReason.EndedByAdministrator, cancellationToken: cancellationToken);
        return RedirectToPage(new { endedSessions = count });
    }
}
