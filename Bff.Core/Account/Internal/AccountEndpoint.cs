using Bff.Api.Internal;
using Bff.Login.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Account.Internal;

/// <summary><c>GET /bff/account/{action}?returnUrl=/local/path</c>: starts a Keycloak application-initiated action.</summary>
internal static class AccountEndpoint
{
    /// <summary>The route value holding the action's alias.</summary>
    public const string ActionRouteValue = "action";

    /// <summary>The action that deletes the account; the local session ends before it starts.</summary>
    public const string DeleteAccount = "delete_account";

    /// <summary>Maps <c>GET</c> <paramref name="path"/><c>/{action}</c> to the <see cref="IAccountEndpoint"/> from DI.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string path) =>
        endpoints.MapGet(path.TrimEnd('/') + "/{" + ActionRouteValue + "}", BffEndpointHandlers.For<IAccountEndpoint>())
            .AllowAnonymous()
            .RequireRateLimiting(LoginRateLimit.PolicyName)
            .WithName("BffAccountAction")
            .ExcludeFromDescription();

    internal static async Task<IResult> HandleAsync(
        HttpContext httpContext,
        IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
        IOptionsMonitor<LoginSettings> bffOptions,
        IOptionsMonitor<BffAccountOptions> accountOptions,
        IUserSessionService userSessions,
        ILogger logger)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        var action = httpContext.GetRouteValue(ActionRouteValue) as string ?? "";
        if (!accountOptions.CurrentValue.AllowedActionNames().Contains(action))
        {
            logger.AccountActionRefused(action, "not in Bff:Account:AllowedActions");
            return LoginRefusal.Create(httpContext, "This account action is not available",
                $"The account action '{action}' is not offered here (Bff:Account:AllowedActions).");
        }

        var values = httpContext.Request.Query["returnUrl"];
        if (values.Count > 1 || !LoginReturnUrl.TryGetLocal(values.ToString(), out var returnUrl))
        {
            logger.AccountActionRefused(action, "returnUrl not local");
            return LoginRefusal.Create(httpContext, "Invalid returnUrl", "returnUrl must be one local path on this site, such as /profile.");
        }

        var session = await httpContext.AuthenticateAsync(BffAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
        var subject = session.Principal?.FindFirst("sub")?.Value;
        if (!session.Succeeded || subject is null)
        {
            // An account action is for the signed-in user: a script is told so, a person signs in first and comes back.
            if (WantsJson(httpContext.Request))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
                    detail: "Sign in before starting an account action.");
            }

            var here = httpContext.Request.PathBase + httpContext.Request.Path + httpContext.Request.QueryString;
            return TypedResults.Redirect($"{bffOptions.CurrentValue.LoginPath}?returnUrl={Uri.EscapeDataString(here)}");
        }

        if (action == DeleteAccount
            && session.Properties?.Items.TryGetValue(BffSessionProperties.SessionKey, out var key) == true && !string.IsNullOrEmpty(key))
        {
            // Keycloak never redirects back after it deleted an account (it shows "User deleted successfully") and
            // sends no back-channel logout, so the session ends now. A cancelled deletion comes back with a code
            // and signs the same user in again through the Keycloak session.
            await userSessions.EndByKeyAsync(key, SessionEndReason.AccountDeletion, httpContext.RequestAborted).ConfigureAwait(false);
        }

        var properties = new AuthenticationProperties { RedirectUri = returnUrl };
        AuthorizeParameters.AddTo(properties, new Dictionary<string, string> { [AccountActionCallback.KeycloakActionParameter] = action });
        AccountActionCallback.Mark(properties, action, subject);
        logger.AccountActionStarted(action, session.Principal!.FindFirst(Bff.Claims.BffClaimTypes.UserId)?.Value);
        return await LoginEndpoint.ChallengeAsync(httpContext, properties, oidcOptions, bffOptions.CurrentValue, logger).ConfigureAwait(false);
    }

    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return request.Headers.ContainsKey("X-CSRF")
            || (accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
