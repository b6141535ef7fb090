using System.Security.Claims;
using Bff.Login;
using Bff.Login.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Logging;

namespace Bff.Account.Internal;

/// <summary>
/// The account action's round trip: what the login carries in its protected state, and, on the callback, Keycloak's
/// <c>kc_action_status</c> turned into the return URL's <c>?bff_account={action}&amp;status={status}</c>.
/// </summary>
internal sealed class AccountActionCallback(ILogger<AccountActionCallback> logger) : ILoginCallbackHandler
{
    /// <summary>The query parameter naming the action on the way back; <see cref="StatusParameter"/> carries its outcome.</summary>
    public const string ResultParameter = "bff_account";

    public const string StatusParameter = "status";

    public const string KeycloakActionParameter = "kc_action";

    private const string KeycloakStatusParameter = "kc_action_status";

    // Persisted in the protected state, so the callback knows the login was an account action, and for whom.
    private const string ActionItem = "bff.account.action";
    private const string SubjectItem = "bff.account.sub";

    private static readonly HashSet<string> Statuses = new(StringComparer.Ordinal) { "success", "cancelled", "error" };

    public static void Mark(AuthenticationProperties properties, string action, string subject)
    {
        properties.Items[ActionItem] = action;
        properties.Items[SubjectItem] = subject;
    }

    /// <summary>The return URL with the action's result appended (before any fragment).</summary>
    public static string WithResult(string returnUrl, string action, string status) =>
        LoginReturnUrl.WithQuery(returnUrl, [new(ResultParameter, action), new(StatusParameter, status)]);

    public void ResponseReceived(MessageReceivedContext context)
    {
        if (context.Properties?.Items.TryGetValue(ActionItem, out var action) != true || action is null
            || !LoginReturnUrl.TryGetLocal(context.Properties.RedirectUri, out var returnUrl))
        {
            return;
        }

        // Keycloak answers success or cancelled with kc_action naming the action, error without it. A provider that
        // knows no kc_action answers nothing: the user signed in again, and the action is reported as an error.
        var message = context.ProtocolMessage;
        var status = message.GetParameter(KeycloakStatusParameter);
        var named = message.GetParameter(KeycloakActionParameter);
        if (status is null || !Statuses.Contains(status) || (named is not null && named != action))
        {
            status = "error";
        }

        logger.AccountActionFinished(action, status);
        context.Properties.RedirectUri = WithResult(returnUrl, action, status);
    }

    public void TokenValidated(TokenValidatedContext context, ClaimsIdentity identity)
    {
        // Important: an account action keeps the session's user. Whoever signs in on the way (an expired SSO
        // session, another account typed into the login form) must be the user who asked, or nobody.
        if (context.Properties?.Items.TryGetValue(SubjectItem, out var subject) == true
            && !string.Equals(subject, identity.FindFirst("sub")?.Value, StringComparison.Ordinal))
        {
            logger.AccountActionOtherUser(context.Properties.Items[ActionItem] ?? "");
            context.Fail(new BffLoginRefusedException(LoginErrors.LoginFailed, "The account action came back signed in as another user."));
        }
    }
}
