using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Login;
using Bff.DevIdp.Logout;
using Bff.DevIdp.Mappers;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Account;

/// <summary>
/// Keycloak's application-initiated actions: an authorization request with <c>kc_action=&lt;alias&gt;</c> shows,
/// once the user is authenticated, the page of that required action, and then redirects back with the code as
/// usual plus <c>kc_action=&lt;alias&gt;</c> and <c>kc_action_status</c> (<c>success</c> or <c>cancelled</c>).
/// An action the realm does not enable comes back at once with <c>kc_action_status=error</c> and no
/// <c>kc_action</c>, as Keycloak answers "requested action not configured for realm". A deleted account never
/// comes back: like Keycloak 26, the DevIdp then shows "User deleted successfully" and ends the user's SSO
/// sessions without a back-channel logout.
/// </summary>
internal static class AccountActions
{
    public const string Parameter = "kc_action";

    public const string StatusParameter = "kc_action_status";

    public const string UpdatePassword = "UPDATE_PASSWORD";

    public const string UpdateProfile = "UPDATE_PROFILE";

    public const string UpdateEmail = "UPDATE_EMAIL";

    public const string ConfigureTotp = "CONFIGURE_TOTP";

    public const string DeleteAccount = "delete_account";

    /// <summary>The hidden field that marks a post of an action page; its value is the action's alias.</summary>
    public const string SubmitField = "account_action";

    /// <summary>Keycloak's name for the Cancel button of an application-initiated action.</summary>
    public const string CancelField = "cancel-aia";

    /// <summary>The fields of the action pages, which are not parameters of the authorization request.</summary>
    public static readonly IReadOnlySet<string> FormFields = new HashSet<string>(StringComparer.Ordinal)
    {
        SubmitField, CancelField, "password-new", "password-confirm", "logout-sessions", "firstName", "lastName", "email",
        "totp", "totpSecret", "userLabel",
    };

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        UpdatePassword, UpdateProfile, UpdateEmail, ConfigureTotp, DeleteAccount,
    };

    /// <summary>The action an authorization request asks for, if any.</summary>
    public static string? Requested(OpenIddictRequest request) =>
        request.GetParameter(Parameter)?.ToString() is { Length: > 0 } alias ? alias : null;

    /// <summary>
    /// Whether the SSO session is too old for the requested action: Keycloak lets a credential change follow a
    /// sign-in of at most 5 minutes ago (its default maximum age of authentication) and asks for the password
    /// again before every account deletion.
    /// </summary>
    public static bool NeedsReauthentication(OpenIddictRequest request, SsoSession session, DateTimeOffset now)
    {
        TimeSpan? maxAge = Requested(request) switch
        {
            UpdatePassword or ConfigureTotp => TimeSpan.FromMinutes(5),
            DeleteAccount => TimeSpan.Zero,
            _ => null,
        };
        return maxAge is { } allowed && now - session.AuthenticatedAt > allowed;
    }

    /// <summary>After authentication: the action's page, or at once back to the client when the realm does not enable it.</summary>
    public static IResult Start(
        HttpContext context, DevIdpState state, IAntiforgery antiforgery, DevIdpRealm realm, DevIdpClient client, DevIdpUser user,
        SsoSession session, OpenIddictRequest request, string action, DateTimeOffset now)
    {
        if (!Supported.Contains(action) || !realm.EnabledRequiredActions.Contains(action))
        {
            DevIdpLog.AccountActionFinished(Logger(context), realm.Name, user.Id, action, "error");
            return AuthorizeEndpoint.Issue(state, realm, client, user, session, request, now,
                new Dictionary<string, string> { [StatusParameter] = "error" });
        }

        if (action == DeleteAccount && !MayDeleteAccount(realm, user))
        {
            return NotAllowedToDelete();
        }

        return Page(context, antiforgery, request, user, action, error: null);
    }

    /// <summary>A post of an action page: Cancel, or the change the page asks for.</summary>
    public static async Task<IResult> SubmitAsync(
        HttpContext context, DevIdpState state, IAntiforgery antiforgery, ILogger logger,
        DevIdpRealm realm, DevIdpClient client, OpenIddictRequest request, IFormCollection form, DateTimeOffset now)
    {
        var session = state.Sessions.FindAliveByCookie(realm, SsoCookie.Read(context), now);
        var user = realm.FindUserById(session?.UserId);
        if (session is null || user is not { Enabled: true })
        {
            return AuthorizeEndpoint.LoginForm(context, antiforgery, realm, request, username: null, "Your login attempt timed out. Login will start from the beginning.");
        }

        var action = form[SubmitField].ToString();
        if (action != Requested(request) || !Supported.Contains(action) || !realm.EnabledRequiredActions.Contains(action))
        {
            return HtmlPages.Error(Errors.InvalidRequest, "This page does not belong to the sign-in in progress.");
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Page(context, antiforgery, request, user, action, "Your login attempt timed out. Login will start from the beginning.");
        }

        if (form.ContainsKey(CancelField))
        {
            return Finish(context, state, realm, client, user, session, request, action, "cancelled", now);
        }

        var error = action switch
        {
            UpdatePassword => ChangePassword(user, form),
            UpdateProfile => ChangeProfile(user, form),
            UpdateEmail => ChangeEmail(realm, user, form),
            ConfigureTotp => AddAuthenticator(user, form, now),
            _ => null,
        };
        if (error is not null)
        {
            return Page(context, antiforgery, request, user, action, error, form["totpSecret"].ToString());
        }

        if (action == DeleteAccount)
        {
            return Delete(context, state, logger, realm, client, user);
        }

        if (action == UpdatePassword && form["logout-sessions"] == "on")
        {
            // "Sign out from other devices", checked by default as in Keycloak: the user's other sessions end,
            // and their clients hear it by back-channel logout.
            var terminator = context.RequestServices.GetRequiredService<SessionTerminator>();
            foreach (var other in state.Sessions.ForUser(realm.Name, user.Id).Where(s => s.Id != session.Id))
            {
                await terminator.EndAsync(realm, other, context.Request.Issuer(), "password updated", context.RequestAborted);
            }
        }

        return Finish(context, state, realm, client, user, session, request, action, "success", now);
    }

    private static IResult Finish(
        HttpContext context, DevIdpState state, DevIdpRealm realm, DevIdpClient client, DevIdpUser user, SsoSession session,
        OpenIddictRequest request, string action, string status, DateTimeOffset now)
    {
        DevIdpLog.AccountActionFinished(Logger(context), realm.Name, user.Id, action, status);
        return AuthorizeEndpoint.Issue(state, realm, client, user, session, request, now,
            new Dictionary<string, string> { [Parameter] = action, [StatusParameter] = status });
    }

    private static string? ChangePassword(DevIdpUser user, IFormCollection form)
    {
        var password = form["password-new"].ToString();
        if (password.Length == 0)
        {
            return "Please specify password.";
        }

        if (password != form["password-confirm"].ToString())
        {
            return "Passwords don't match.";
        }

        // Kept in memory only, like every other DevIdp state; never logged.
        user.Password = new PlainPassword(password);
        return null;
    }

    private static string? ChangeProfile(DevIdpUser user, IFormCollection form)
    {
        var first = form["firstName"].ToString().Trim();
        var last = form["lastName"].ToString().Trim();
        if (first.Length == 0)
        {
            return "Please specify first name.";
        }

        if (last.Length == 0)
        {
            return "Please specify last name.";
        }

        (user.FirstName, user.LastName) = (first, last);
        return null;
    }

    private static string? ChangeEmail(DevIdpRealm realm, DevIdpUser user, IFormCollection form)
    {
        var email = form["email"].ToString().Trim();
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1 || email.Any(char.IsWhiteSpace))
        {
            return "Invalid email address.";
        }

        if (realm.Users.Any(u => u != user && !u.Deleted && string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            return "Email already exists.";
        }

        // Nobody has verified the new address yet (the realm sends no mail here).
        user.EmailVerified = user.EmailVerified && string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase);
        user.Email = email;
        return null;
    }

    private static string? AddAuthenticator(DevIdpUser user, IFormCollection form, DateTimeOffset now)
    {
        var secret = form["totpSecret"].ToString();
        var credential = new OtpCredential(secret, Digits: 6, Period: 30, Algorithm: "HmacSHA1");
        if (secret.Length < 16 || !DevIdpTotp.Matches(credential, form["totp"].ToString(), now))
        {
            return "Invalid authenticator code.";
        }

        user.Otp = credential;
        return null;
    }

    private static IResult Delete(HttpContext context, DevIdpState state, ILogger logger, DevIdpRealm realm, DevIdpClient client, DevIdpUser user)
    {
        if (!MayDeleteAccount(realm, user))
        {
            return NotAllowedToDelete();
        }

        user.Deleted = true;

        // Keycloak 26 removes the user's sessions without a back-channel logout (keycloak/keycloak#45120), so the
        // client learns of it only when its refresh token is refused.
        foreach (var session in state.Sessions.ForUser(realm.Name, user.Id))
        {
            if (session.End())
            {
                state.Grants.RevokeSession(session.Id);
                DevIdpLog.SessionEnded(logger, realm.Name, user.Id, "account deleted");
            }
        }

        SsoCookie.Delete(context, realm);
        DevIdpLog.AccountActionFinished(logger, realm.Name, user.Id, DeleteAccount, "success");
        return AccountActionPages.Deleted(client.RootUrl);
    }

    /// <summary>Keycloak lets a user delete their account only with the <c>delete-account</c> role of the <c>account</c> client.</summary>
    private static bool MayDeleteAccount(DevIdpRealm realm, DevIdpUser user) =>
        EffectiveRoles.For(realm, user, []).Clients.TryGetValue("account", out var roles) && roles.Contains("delete-account");

    private static IResult NotAllowedToDelete() =>
        HtmlPages.Error(Errors.AccessDenied, "You do not have sufficient privileges to delete your own account, contact admin.", StatusCodes.Status200OK);

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, OpenIddictRequest request, DevIdpUser user, string action, string? error, string? totpSecret = null)
    {
        var (postTo, hidden) = AuthorizeEndpoint.PostBack(context, request);
        hidden.Add(new(SubmitField, action));
        return AccountActionPages.For(action, postTo, hidden, antiforgery.GetAndStoreTokens(context), user, error, totpSecret);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILogger<DevIdpState>>();
}
