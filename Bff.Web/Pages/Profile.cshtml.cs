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

    /// <summary>
    /// What an account action (<c>/bff/account/{action}</c>) that came back here did, from its
    /// <c>?bff_account=&amp;status=</c>; null when none did.
    /// </summary>
    public string? AccountActionResult { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "bff_account")] string? action, [FromQuery(Name = "status")] string? status, CancellationToken cancellationToken)
    {
        AccountActionResult = AccountActionMessage(action, status);
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
        if (await HttpContext.GetBffSessionKeyAsync() is { } key)
        {
            var session = await sessions.GetAsync(key, cancellationToken);
            Expires = session?.Expires;
            IdleExpires = session?.IdleExpires ?? IdleExpires;
        }
    }

    private static string? AccountActionMessage(string? action, string? status)
    {
        var what = action switch
        {
            "UPDATE_PASSWORD" => "Changing your password",
            "UPDATE_PROFILE" => "Updating your profile",
            "UPDATE_EMAIL" => "Changing your e-mail address",
            "CONFIGURE_TOTP" => "Setting up your authenticator app",
            "delete_account" => "Deleting your account",
            _ => null,
        };
        return (what, status) switch
        {
            (null, _) => null,
            (_, "success") => $"{what}: done.",
            (_, "cancelled") => $"{what}: cancelled, nothing changed.",
            _ => $"{what}: it did not work; nothing changed.",
        };
    }
}
