using Bff.Claims;
using Bff.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bff.Web.Pages;

/// <summary>The signed-in user's profile and session. Shows claims, never a token.</summary>
[Authorize]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ProfileModel(IServerSessionStore sessions) : PageModel
{
    public string? UserName { get; private set; }

    public string? FirstName { get; private set; }

    public string? LastName { get; private set; }

    public string? Email { get; private set; }

    public bool EmailVerified { get; private set; }

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public IReadOnlyList<string> Groups { get; private set; } = [];

    public DateTimeOffset? IdleExpires { get; private set; }

    public DateTimeOffset? Expires { get; private set; }

    public string? LocalUserId { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        UserName = User.Identity?.Name;
        FirstName = User.FindFirst("given_name")?.Value;
        LastName = User.FindFirst("family_name")?.Value;
        Email = User.FindFirst("email")?.Value;
        EmailVerified = string.Equals(User.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var groups = User.FindAll(BffClaimTypes.Group).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        Groups = [.. groups];
        Roles = [.. User.FindAll(BffClaimTypes.Role).Select(c => c.Value)
            .Where(r => !groups.Contains(r) && !groups.Contains("/" + r))];
        LocalUserId = User.FindFirst(BffClaimTypes.UserId)?.Value;

        var authentication = await HttpContext.AuthenticateAsync();
        IdleExpires = authentication.Properties?.ExpiresUtc;
        if (authentication.Properties?.Items.TryGetValue(BffSessionProperties.SessionKey, out var key) == true && key is not null)
        {
            var session = await sessions.GetAsync(key, cancellationToken);
            Expires = session?.Expires;
            IdleExpires = session?.IdleExpires ?? IdleExpires;
        }
    }
}
