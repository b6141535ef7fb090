using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Login;
using Bff.DevIdp.Tokens;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace Bff.DevIdp.Logout;

/// <summary>
/// RP-initiated logout after EndSessionRequestValidator checked the redirect: end the SSO session (and tell
/// the clients over the back channel), then redirect with <c>state</c> or show the logged-out page.
/// </summary>
internal static class EndSessionEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context, DevIdpState state, SessionTerminator terminator, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (context.GetOpenIddictServerResponse() is { Error: { } error } response)
        {
            return HtmlPages.Error(error, response.ErrorDescription);
        }

        var request = context.GetOpenIddictServerRequest()!;
        var realm = context.GetRealm();
        // Without an id_token_hint OpenIddict authenticates nobody (an anonymous principal, or none).
        var hint = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal is { Identity.IsAuthenticated: true } principal
            ? principal
            : null;

        // Without id_token_hint or client_id nothing says which application asks: the user confirms (Keycloak does too),
        // so a cross-site link cannot log people out.
        if (hint is null && string.IsNullOrEmpty(request.ClientId))
        {
            if (!HttpMethods.IsPost(context.Request.Method) || (string?)request["confirm"] != "true")
            {
                var hidden = request.GetParameters().Where(p => p.Key is not "confirm" and not "confirmLogout" and not DevIdpApplication.AntiforgeryFieldName)
                    .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value));
                return HtmlPages.ConfirmLogout(context.Request.PathBase + context.Request.Path, hidden, antiforgery.GetAndStoreTokens(context));
            }

            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return HtmlPages.Error("invalid_request", "The logout confirmation expired; please try again.");
            }
        }

        var session = state.Sessions.FindByCookie(SsoCookie.Read(context)) is { Realm: var r } cookieSession && r == realm.Name
            ? cookieSession
            : state.Sessions.Find(hint?.GetClaim(DevIdpClaims.SessionId));
        if (session is not null && session.Realm == realm.Name)
        {
            await terminator.EndAsync(realm, session, context.Request.Issuer(), "logout", cancellationToken);
        }

        SsoCookie.Delete(context, realm);
        if (string.IsNullOrEmpty(request.PostLogoutRedirectUri))
        {
            return HtmlPages.LoggedOut();
        }

        // OpenIddict redirects to the validated post_logout_redirect_uri and appends state.
        return Results.SignOut(properties: null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
