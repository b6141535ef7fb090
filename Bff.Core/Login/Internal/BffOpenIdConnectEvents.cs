using System.Security.Claims;
using System.Text.Json;
using Bff.Claims;
using Bff.Claims.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Login.Internal;

/// <summary>
/// The BFF's OpenID Connect events: roles and groups from the access token, the local user, and a
/// readable page instead of an exception when a login fails.
/// </summary>
/// <remarks>
/// One instance for the app: the OpenID Connect handler is created on every request (the
/// authentication middleware asks it whether the request is its callback) and resolves its events
/// each time, so per-request events cost every request an object and its dependencies. The parts an
/// app may register with a shorter lifetime (<see cref="IUserMapper"/>, <see cref="IKeycloakClaimsMapper"/>,
/// <see cref="IUserSessionService"/>, the callback handlers) are therefore not held here but resolved
/// from the request's services in the events that use them, which run only on login and logout.
/// </remarks>
internal sealed class BffOpenIdConnectEvents(
    SignInClaimsResolver signInClaims,
    IInternalSessionStore sessions,
    IOptionsMonitor<CookieAuthenticationOptions> cookieOptions,
    IOptionsMonitor<LoginSettings> bffOptions,
    ILogger<BffOpenIdConnectEvents> logger) : OpenIdConnectEvents
{
    // The claim the cookie handler puts the session store key in (CookieAuthenticationHandler.SessionIdClaim).
    private const string CookieSessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    // The session a login replaces, named at the challenge (its public id and its user, never its key) and
    // carried in the protected state: when the provider is on another site, its form_post back to the
    // callback is a cross-site POST, which a SameSite=Lax session cookie does not go with.
    private const string ReplacedSessionItem = "bff.replaces";
    private const string ReplacedSubjectItem = "bff.replaces_sub";

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        // Note: this runs after the ID token passed validation (signature, issuer, audience, nonce,
        // lifetime), so its sub is trusted. The access token came straight from the token endpoint
        // over the back channel as the response to our authenticated code redemption; it is read,
        // not validated, and only when its sub matches the ID token's.
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.FindFirst("sub") is not { } subject)
        {
            context.Fail(new BffLoginRefusedException(LoginErrors.LoginFailed, "The ID token has no sub claim."));
            return;
        }

        if (!StepUpLogin.Reached(context.Properties, identity, bffOptions.CurrentValue.Login.AcrLevelNames()))
        {
            context.Fail(new BffLoginRefusedException(LoginErrors.StepUpFailed, "The identity provider did not reach the requested authentication level."));
            return;
        }

        var services = context.HttpContext.RequestServices;
        foreach (var handler in services.GetServices<ILoginCallbackHandler>())
        {
            handler.TokenValidated(context, identity);
            if (context.Result?.Failure is not null)
            {
                return;
            }
        }

        var authorization = await signInClaims.ResolveAsync(context, identity, subject).ConfigureAwait(false);
        if (authorization is null)
        {
            context.Fail(new BffLoginRefusedException(LoginErrors.LoginFailed, "The userinfo response names another subject than the ID token."));
            return;
        }

        services.GetRequiredService<IKeycloakClaimsMapper>().AddClaims(identity, authorization, subject.Issuer);

        // Important: a local user is never written without a user name. The first configured claim
        // present wins; without any, the login is refused before the user mapping runs.
        var userNameClaims = bffOptions.CurrentValue.Users.EffectiveUserNameClaims;
        var userName = userNameClaims.Select(c => identity.FindFirst(c)?.Value?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (userName is null)
        {
            logger.UserNameMissing(subject.Value, string.Join(", ", userNameClaims));
            context.Fail(new BffLoginRefusedException(LoginErrors.UserNameMissing, "The identity provider sent none of the user-name claims."));
            return;
        }

        if (!identity.HasClaim(c => c.Type == identity.NameClaimType))
        {
            identity.AddClaim(new Claim(identity.NameClaimType, userName, ClaimValueTypes.String, subject.Issuer));
        }

        var login = UserLoginInfoFactory.Create(identity, subject, authorization, userName);
        var result = await services.GetRequiredService<IUserMapper>().MapAsync(login, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            context.Fail(new BffLoginRefusedException(result.Error ?? LoginErrors.LoginFailed, result.Description ?? "The user mapping refused the login."));
            return;
        }

        identity.AddClaim(new Claim(BffClaimTypes.UserId, result.User!.Id.ToString("D"), ClaimValueTypes.String, subject.Issuer));
        logger.SignedIn(subject.Value, result.User.Id);
    }

    /// <summary>
    /// A new login in a browser that still has a session ends that session the way logout does, its
    /// refresh token revoked at the provider: the new cookie replaces the old one, and an unreachable
    /// session must neither linger nor leave a live refresh token behind.
    /// </summary>
    /// <remarks>
    /// Important: the old cookie is read here without authenticating the cookie scheme. Once that
    /// scheme has authenticated in this request, its sign-in renews the old session key instead of
    /// issuing a new one, which would carry a pre-login key over into the new login.
    /// </remarks>
    public override async Task TicketReceived(TicketReceivedContext context)
    {
        var aborted = context.HttpContext.RequestAborted;
        var userSessions = context.HttpContext.RequestServices.GetRequiredService<IUserSessionService>();
        if (CurrentSessionKey(context.HttpContext) is { } key)
        {
            await userSessions.EndByKeyAsync(key, Bff.Sessions.SessionEndReason.SignedInAgain, aborted).ConfigureAwait(false);
        }
        else if (context.Properties?.Items is { } items
            && items.TryGetValue(ReplacedSessionItem, out var replaced) && !string.IsNullOrEmpty(replaced)
            && items.TryGetValue(ReplacedSubjectItem, out var subject) && !string.IsNullOrEmpty(subject))
        {
            await userSessions.EndOwnAsync(subject, replaced, Bff.Sessions.SessionEndReason.SignedInAgain, aborted).ConfigureAwait(false);
        }

        SilentLogin.Clear(context.HttpContext);
    }

    public override Task MessageReceived(MessageReceivedContext context)
    {
        foreach (var handler in context.HttpContext.RequestServices.GetServices<ILoginCallbackHandler>())
        {
            handler.ResponseReceived(context);
        }

        return Task.CompletedTask;
    }

    public override async Task RedirectToIdentityProvider(RedirectContext context)
    {
        AuthorizeParameters.Apply(context);
        if (CurrentSessionKey(context.HttpContext) is { } key
            && await sessions.GetAsync(key, includeTokens: false, context.HttpContext.RequestAborted).ConfigureAwait(false) is { Subject: { Length: > 0 } subject })
        {
            context.Properties.Items[ReplacedSessionItem] = SessionPublicId.Of(key);
            context.Properties.Items[ReplacedSubjectItem] = subject;
        }
    }

    // The session key of the request's session cookie, read without authenticating the cookie scheme (see TicketReceived).
    private string? CurrentSessionKey(HttpContext context)
    {
        var cookie = cookieOptions.Get(BffAuthenticationDefaults.CookieScheme);
        var value = cookie.CookieManager.GetRequestCookie(context, cookie.Cookie.Name!);
        var ticket = string.IsNullOrEmpty(value) ? null : cookie.TicketDataFormat.Unprotect(value);
        return ticket?.Principal.FindFirst(CookieSessionIdClaim)?.Value is { Length: > 0 } key ? key : null;
    }

    public override Task RemoteFailure(RemoteFailureContext context)
    {
        if (SilentLogin.TryHandleFailure(context))
        {
            logger.RemoteLoginFailed("silent", context.Failure);
            return Task.CompletedTask;
        }

        var code = LoginErrors.Classify(context.Failure);
        logger.RemoteLoginFailed(code, context.Failure);
        var errorPath = bffOptions.CurrentValue.ErrorPath;
        context.Response.Redirect($"{errorPath}?error={Uri.EscapeDataString(code)}");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    /// <summary>
    /// RP-initiated logout: the tokens are not in the ticket, so the handler cannot find the ID token
    /// itself. It comes from <c>properties.Parameters["id_token_hint"]</c>, or from the session named by
    /// <c>properties.Items[BffSessionProperties.SessionKey]</c> (read it before deleting the session).
    /// <c>client_id</c> is always sent: Keycloak 18+ needs it when there is no ID token left.
    /// </summary>
    public override async Task RedirectToIdentityProviderForSignOut(RedirectContext context)
    {
        var message = context.ProtocolMessage;
        if (string.IsNullOrEmpty(message.ClientId))
        {
            message.ClientId = context.Options.ClientId;
        }

        if (string.IsNullOrEmpty(message.IdTokenHint))
        {
            message.IdTokenHint = context.Properties.GetParameter<string>("id_token_hint");
        }

        // The properties travel in the (encrypted) state to the provider and back: the key stays home.
        if (context.Properties.Items.Remove(BffSessionProperties.SessionKey, out var key)
            && string.IsNullOrEmpty(message.IdTokenHint)
            && !string.IsNullOrEmpty(key))
        {
            var session = await sessions.GetAsync(key, context.HttpContext.RequestAborted).ConfigureAwait(false);
            message.IdTokenHint = session?.Tokens?.IdToken;
        }
    }

    /// <summary>Decodes the payload of a signed JWT (three parts); anything else is opaque.</summary>
    internal static bool TryReadJwtPayload(string? token, out JsonElement payload)
    {
        payload = default;
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1]));
            payload = document.RootElement.Clone();
            return payload.ValueKind == JsonValueKind.Object;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return false;
        }
    }
}
