using Bff.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bff.Web.Pages;

/// <summary>
/// Calls the remote API's <c>GET /whoami</c> from the server with the signed-in user's access token
/// and shows what the API saw: the proof that a server-rendered page uses the token service. When no
/// token can be had, the BFF's exception filter answers (login, or a 503 page while the identity
/// provider is down); when the API fails, this page says so with 502/504 and the session is kept.
/// Never shows a token.
/// </summary>
[Authorize]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class RemoteModel(RemoteApiClient remote) : PageModel
{
    public WhoAmI? Answer { get; private set; }

    public string? ErrorTitle { get; private set; }

    public string? ErrorMessage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await remote.GetWhoAmIAsync(cancellationToken);
        Answer = result.Answer;
        if (result.Failure is not { } failure)
        {
            return;
        }

        (Response.StatusCode, ErrorTitle, ErrorMessage) = failure switch
        {
            RemoteFailure.NotConfigured => (StatusCodes.Status404NotFound, "No remote API configured",
                $"This page calls the remote API named '{RemoteApiClient.RemoteApiName}'; set Bff:RemoteApis:{RemoteApiClient.RemoteApiName}:Destination to use it."),
            RemoteFailure.Unreachable => (StatusCodes.Status502BadGateway, "Remote API unreachable",
                "The remote API could not be reached. You are still signed in; please try again later."),
            RemoteFailure.Timeout => (StatusCodes.Status504GatewayTimeout, "Remote API too slow",
                "The remote API did not answer in time. You are still signed in; please try again later."),
            RemoteFailure.Forbidden => (StatusCodes.Status403Forbidden, "Not allowed",
                "The remote API says you may not see this."),
            RemoteFailure.InvalidAnswer => (StatusCodes.Status502BadGateway, "Remote API failed",
                "The remote API gave an answer this page cannot read. You are still signed in; please try again later."),
            _ => (StatusCodes.Status502BadGateway, "Remote API failed",
                $"The remote API answered with an error (HTTP {result.StatusCode}). You are still signed in; please try again later."),
        };
    }
}
