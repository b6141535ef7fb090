using System.Diagnostics;
using Bff.Login;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bff.Web.Pages;

/// <summary>
/// A readable page for failed logins (<c>?error=code</c>, a fixed set of codes) and unhandled errors.
/// Nothing from the query is echoed: only the known codes select a message.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Message { get; private set; } = "The request could not be completed. Please try again.";

    public string? RequestId { get; private set; }

    public void OnGet(string? error) => Describe(error);

    public void OnPost(string? error) => Describe(error);

    private void Describe(string? error)
    {
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        (Title, Message) = error switch
        {
            LoginErrors.AccessDenied => ("Sign-in cancelled", "The sign-in was cancelled or the identity provider refused it."),
            LoginErrors.CorrelationFailed => ("Sign-in expired", "This sign-in attempt expired or was already used. Please sign in again."),
            LoginErrors.IdpUnavailable => ("Identity provider unreachable",
                "The identity provider could not be reached. An administrator should check the Oidc:Authority setting (or Oidc:MetadataAddress) and that the provider is running."),
            LoginErrors.AmbiguousUser => ("Account cannot be linked",
                "More than one existing account matches your email or user name, so you could not be signed in. Please contact an administrator."),
            LoginErrors.UserNameMissing => ("Account has no user name",
                "The identity provider signed you in but did not say what your user name is, so no account could be set up here. An administrator should release the user-name claim (preferred_username by default, see Bff:Users:UserNameClaims) to this application, in the ID token or from userinfo."),
            LoginErrors.StepUpFailed => ("Stronger sign-in not completed",
                "The identity provider did not confirm the stronger sign-in this page needs. You are still signed in as before."),
            LoginErrors.LoginFailed => ("Sign-in failed", "The identity provider's answer could not be accepted. Please sign in again."),
            _ => (Title, Message),
        };
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }
}
