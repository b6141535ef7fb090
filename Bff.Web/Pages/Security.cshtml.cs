using Bff.Claims;
using Bff.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bff.Web.Pages;

/// <summary>A page that needs the second factor: a session below acr 2 is sent to the step-up login and back.</summary>
[BffRequireAcr(Api.SecurityApi.RequiredAcr)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class SecurityModel : PageModel
{
    public string? Acr { get; private set; }

    public string? LocalUserId { get; private set; }

    public void OnGet()
    {
        Acr = User.FindFirst("acr")?.Value;
        LocalUserId = User.FindFirst(BffClaimTypes.UserId)?.Value;
    }
}
