using Bff.DevIdp.Account;
using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;
using Bff.DevIdp.Tokens;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Login;

/// <summary>
/// The authorization endpoint after OpenIddict validated the request: reuse the SSO session, or show the login
/// form (which posts back here with the request's parameters), then issue the code.
/// </summary>
internal static class AuthorizeEndpoint
{
    // Form fields of the login form that are not parameters of the authorization request.
    private static readonly HashSet<string> FormOnlyFields = new(StringComparer.Ordinal)
    {
        "username", "password", "login", "otp", DevIdpApplication.AntiforgeryFieldName,
    };

    public static async Task<IResult> HandleAsync(HttpContext context, DevIdpState state, IAntiforgery antiforgery, ILogger<DevIdpState> logger)
    {
        if (context.GetOpenIddictServerResponse() is { Error: { } error } response)
        {
            return HtmlPages.Error(error, response.ErrorDescription);
        }

        var request = context.GetOpenIddictServerRequest();
        var realm = context.GetRealm();
        var client = realm.FindClient(request?.ClientId);
        if (request is null || client is null)
        {
            return HtmlPages.Error(Errors.InvalidRequest, "The authorization request is missing.");
        }

        if (client.RequiredPkceMethod is { } method && !string.Equals(request.CodeChallengeMethod ?? CodeChallengeMethods.Plain, method, StringComparison.Ordinal))
        {
            // The client is registered for PKCE, so its absence means a downgraded or forged request.
            return Reject(Errors.InvalidRequest, string.IsNullOrEmpty(request.CodeChallenge) ? "Missing parameter: code_challenge" : "Invalid parameter: code_challenge_method");
        }

        var now = state.Now;

        // Important: the credentials are read from the posted form, not from the OpenIddict request. A
        // pushed request (PAR) is restored from its request_uri, and that restored request holds only
        // what the client pushed, so the form's username and password are not in it.
        var form = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : null;
        if (form is not null && form.ContainsKey("username"))
        {
            return await LoginAsync(context, state, antiforgery, logger, realm, client, request, form, now);
        }

        if (form is not null && form.ContainsKey("otp"))
        {
            return await SecondFactorAsync(context, state, antiforgery, logger, realm, client, request, form, now);
        }

        if (form is not null && form.ContainsKey(AccountActions.SubmitField))
        {
            return await AccountActions.SubmitAsync(context, state, antiforgery, logger, realm, client, request, form, now);
        }

        state.LastAuthorizationRequest = request.GetParameters()
            .ToDictionary(p => p.Key, p => p.Value.ToString() ?? string.Empty, StringComparer.Ordinal);
        var session = state.Sessions.FindAliveByCookie(realm, SsoCookie.Read(context), now);
        var user = realm.FindUserById(session?.UserId);
        // max_age (OIDC Core 3.1.2.1): an older authentication means signing in again, as prompt=login does.
        var tooOld = session is not null && request.MaxAge is { } maxAge && now - session.AuthenticatedAt > TimeSpan.FromSeconds(maxAge);

        // An account action that changes a credential or deletes the account asks for the password again when the
        // sign-in is older than the action allows, as Keycloak's "maximum age of authentication" does.
        var reauthenticate = session is not null && AccountActions.NeedsReauthentication(request, session, now);
        if (session is not null && user is { Enabled: true } && !tooOld && !reauthenticate && !request.HasPromptValue(PromptValues.Login))
        {
            // Step-up: the SSO session stands for the password; a higher requested level asks only for what is missing.
            if (NeedsSecondFactor(realm, client, user, session, request))
            {
                return request.HasPromptValue(PromptValues.None)
                    ? Reject(Errors.InteractionRequired, "A stronger authentication is required.")
                    : SecondFactorForm(context, antiforgery, realm, user, request, error: null);
            }

            return Continue(context, state, antiforgery, realm, client, user, session, request, now);
        }

        if (request.HasPromptValue(PromptValues.None))
        {
            return Reject(Errors.LoginRequired, "User is not logged in.");
        }

        // Keycloak prefills the user name with login_hint, and with the signed-in user's when it re-authenticates.
        return LoginForm(context, antiforgery, realm, request, username: reauthenticate ? user?.Username : request.LoginHint, error: null);
    }

    private static async Task<IResult> LoginAsync(
        HttpContext context, DevIdpState state, IAntiforgery antiforgery, ILogger logger,
        DevIdpRealm realm, DevIdpClient client, OpenIddictRequest request, IFormCollection form, DateTimeOffset now)
    {
        var username = form["username"].ToString();
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            DevIdpLog.LoginFailed(logger, realm.Name, "antiforgery token missing or invalid");
            return LoginForm(context, antiforgery, realm, request, username, "Your login attempt timed out. Login will start from the beginning.");
        }

        var (outcome, user) = UserAuthenticator.Authenticate(realm, username, form["password"].ToString());
        switch (outcome)
        {
            case LoginOutcome.Success when user is not null:
                // Signing in again as the same user (prompt=login, max_age) re-authenticates the same SSO
                // session, as Keycloak does: the sid stays, auth_time moves, the level starts again at the password.
                var existing = state.Sessions.FindAliveByCookie(realm, SsoCookie.Read(context), now);
                var session = existing is not null && existing.UserId == user.Id ? existing : state.Sessions.Create(realm, user, now);
                session.AuthenticatedAt = now;
                session.Level = AcrLevels.Password;
                SsoCookie.Write(context, realm, session.CookieValue);
                DevIdpLog.LoginSucceeded(logger, realm.Name, user.Id);
                if (NeedsSecondFactor(realm, client, user, session, request))
                {
                    return SecondFactorForm(context, antiforgery, realm, user, request, error: null);
                }

                return Continue(context, state, antiforgery, realm, client, user, session, request, now);
            case LoginOutcome.Disabled:
                DevIdpLog.LoginFailed(logger, realm.Name, "account disabled");
                return LoginForm(context, antiforgery, realm, request, username, "Account is disabled, contact your administrator.");
            default:
                DevIdpLog.LoginFailed(logger, realm.Name, "invalid credentials");
                return LoginForm(context, antiforgery, realm, request, username, "Invalid username or password.");
        }
    }

    /// <summary>
    /// Whether the one-time password is still missing: in a realm with a step-up flow (an acr.loa.map) when the
    /// request asks for level 2 or more; otherwise, as Keycloak's default browser flow (conditional OTP), whenever
    /// the user has one.
    /// </summary>
    private static bool NeedsSecondFactor(DevIdpRealm realm, DevIdpClient client, DevIdpUser user, SsoSession session, OpenIddictRequest request) =>
        session.Level < AcrLevels.SecondFactor
        && (realm.HasStepUpFlow ? AcrLevels.Requested(realm, client, request) >= AcrLevels.SecondFactor : user.Otp is not null);

    private static async Task<IResult> SecondFactorAsync(
        HttpContext context, DevIdpState state, IAntiforgery antiforgery, ILogger logger,
        DevIdpRealm realm, DevIdpClient client, OpenIddictRequest request, IFormCollection form, DateTimeOffset now)
    {
        var session = state.Sessions.FindAliveByCookie(realm, SsoCookie.Read(context), now);
        var user = realm.FindUserById(session?.UserId);
        if (session is null || user is not { Enabled: true })
        {
            return LoginForm(context, antiforgery, realm, request, username: null, "Your login attempt timed out. Login will start from the beginning.");
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return SecondFactorForm(context, antiforgery, realm, user, request, "Your login attempt timed out. Login will start from the beginning.");
        }

        if (user.Otp is null || !DevIdpTotp.Matches(user.Otp, form["otp"].ToString(), now))
        {
            DevIdpLog.LoginFailed(logger, realm.Name, "invalid one-time password");
            return SecondFactorForm(context, antiforgery, realm, user, request, "Invalid authenticator code.");
        }

        session.Level = AcrLevels.SecondFactor;
        session.AuthenticatedAt = now;
        return Continue(context, state, antiforgery, realm, client, user, session, request, now);
    }

    private static IResult SecondFactorForm(
        HttpContext context, IAntiforgery antiforgery, DevIdpRealm realm, DevIdpUser user, OpenIddictRequest request, string? error)
    {
        if (user.Otp is null)
        {
            // Keycloak would make the user set up an authenticator first (CONFIGURE_TOTP).
            return HtmlPages.Error(Errors.AccessDenied, "This sign-in needs an authenticator app, and none is set up for your account.", StatusCodes.Status200OK);
        }

        var (action, hidden) = PostBack(context, request);
        return HtmlPages.OneTimePassword(realm.Name, action, hidden, antiforgery.GetAndStoreTokens(context), error);
    }

    /// <summary>After the user authenticated: the account action the request asks for (<c>kc_action</c>), if any, else the code.</summary>
    private static IResult Continue(
        HttpContext context, DevIdpState state, IAntiforgery antiforgery, DevIdpRealm realm, DevIdpClient client, DevIdpUser user,
        SsoSession session, OpenIddictRequest request, DateTimeOffset now) =>
        AccountActions.Requested(request) is { } action
            ? AccountActions.Start(context, state, antiforgery, realm, client, user, session, request, action, now)
            : Issue(state, realm, client, user, session, request, now);

    /// <summary>
    /// Issues the code. <paramref name="responseParameters"/> go into the redirect back to the client next to it
    /// (an account action's <c>kc_action</c> and <c>kc_action_status</c>).
    /// </summary>
    internal static IResult Issue(
        DevIdpState state, DevIdpRealm realm, DevIdpClient client, DevIdpUser user, SsoSession session, OpenIddictRequest request, DateTimeOffset now,
        IReadOnlyDictionary<string, string>? responseParameters = null)
    {
        session.Touch(now);
        session.Clients.TryAdd(client.ClientId, 0);

        // One grant id per authorization: it makes the code one-time and ties later refresh tokens together.
        var info = new TokenRequestInfo(realm, client, user, session, GrantedScopes.For(client, request.GetScopes()),
            Guid.NewGuid().ToString("N"), RefreshTokenId: null, now);
        AuthenticationProperties? properties = null;
        if (responseParameters is { Count: > 0 })
        {
            // OpenIddict copies the sign-in's parameters into the authorization response.
            properties = new AuthenticationProperties();
            foreach (var (name, value) in responseParameters)
            {
                properties.Parameters[name] = value;
            }
        }

        return Results.SignIn(TokenPrincipalFactory.Create(info), properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static IResult LoginForm(
        HttpContext context, IAntiforgery antiforgery, DevIdpRealm realm, OpenIddictRequest request, string? username, string? error)
    {
        var (action, hidden) = PostBack(context, request);
        return HtmlPages.Login(realm.Name, action, hidden, antiforgery.GetAndStoreTokens(context), username, error);
    }

    /// <summary>
    /// Where a page of this authorization request posts (the authorization endpoint itself) and the request's
    /// parameters it carries as hidden fields, without the fields of the DevIdp's own forms.
    /// </summary>
    internal static (string Action, List<KeyValuePair<string, string?>> Hidden) PostBack(HttpContext context, OpenIddictRequest request) =>
        (context.Request.PathBase + context.Request.Path,
            request.GetParameters()
                .Where(p => !FormOnlyFields.Contains(p.Key) && !AccountActions.FormFields.Contains(p.Key))
                .SelectMany(p => ((StringValues)p.Value).Select(v => new KeyValuePair<string, string?>(p.Key, v)))
                .ToList());

    private static IResult Reject(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
