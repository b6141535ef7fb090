using System.Security.Cryptography;
using System.Text;
using Bff.Api.Internal;
using Bff.Login.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Users.Internal;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Logout.Internal;

/// <summary>
/// <c>/bff/logout</c>: ends the signed-in session (its refresh token revoked, the server-side session and
/// the cookie deleted), then, in <see cref="BffLogoutMode.Keycloak"/> mode, the identity provider's SSO
/// session through RP-initiated logout, and returns to a local <c>returnUrl</c>.
/// </summary>
/// <remarks>
/// Important: a signed-in user is logged out only by <c>GET ?sid=...</c> carrying the session's
/// <c>sid</c>, or its public id when the provider issued no <c>sid</c> (either way from
/// <c>/bff/user</c>'s <c>bff:logout_url</c>), or by a POST with a valid antiforgery
/// token (a form of this app). Another site can make the browser send neither, so it cannot log the
/// user out (login CSRF's twin). Without them: 400 and nothing happens.
/// </remarks>
internal static class LogoutEndpoint
{
    /// <summary>Maps <c>GET</c> and <c>POST</c> <paramref name="pattern"/> to the <see cref="ILogoutEndpoint"/> from DI.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], BffEndpointHandlers.For<ILogoutEndpoint>())
            .AllowAnonymous()
            .WithName("BffLogout")
            .ExcludeFromDescription();

    internal static async Task<IResult> HandleAsync(
        HttpContext context,
        IUserSessionService sessions,
        IServerSessionStore store,
        EndSessionUrlBuilder endSession,
        IAntiforgery antiforgery,
        IOptionsMonitor<LogoutSettings> bffOptions,
        IOptionsMonitor<CookieAuthenticationOptions> cookieOptions,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(LogoutEndpoint).FullName!);
        context.Response.Headers.CacheControl = "no-store";
        var isPost = HttpMethods.IsPost(context.Request.Method);
        IFormCollection? form = null;
        if (isPost && context.Request.HasFormContentType)
        {
            try
            {
                form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
            {
                // A broken multipart body, a missing boundary or too many fields: the sender's fault.
                return Refuse(context, logger, "The form could not be read.");
            }
        }

        if (!TryGetSingle(context, form, "returnUrl", out var returnValue) || !LoginReturnUrl.TryGetLocal(returnValue, out var returnUrl))
        {
            return Refuse(context, logger, "returnUrl must be one local path on this site, such as /profile.");
        }

        var mode = bffOptions.CurrentValue.LogoutMode;
        var auth = await context.AuthenticateAsync(BffAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
        if (!auth.Succeeded)
        {
            // Signed out already: clear a stale cookie and go back. A stale cookie means the session was
            // ended here (an administrator, another tab, a dead refresh token) while the provider's SSO
            // session may live on, so Keycloak mode still finishes the job there, with client_id only.
            // Note: without id_token_hint Keycloak asks the user to confirm, so a cross-site link to this
            // URL cannot end anyone's SSO session silently.
            var cookieName = cookieOptions.Get(BffAuthenticationDefaults.CookieScheme).Cookie.Name;
            var hadCookie = cookieName is not null && context.Request.Cookies.ContainsKey(cookieName);
            await context.SignOutAsync(BffAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
            Bff.Login.Internal.SilentLogin.Suppress(context);
            if (hadCookie && mode == BffLogoutMode.Keycloak &&
                await endSession.BuildAsync(context, null, returnUrl).ConfigureAwait(false) is { } staleEndSessionUrl)
            {
                return TypedResults.Redirect(staleEndSessionUrl);
            }

            return TypedResults.Redirect(returnUrl);
        }

        var sessionKey = auth.Properties.Items.TryGetValue(BffSessionProperties.SessionKey, out var found) ? found : null;
        var expectedSid = UserEndpoint.LogoutGuard(auth.Principal, sessionKey);
        var sidMatches = TryGetSingle(context, form, "sid", out var givenSid) && SameSid(expectedSid, givenSid);
        if (!sidMatches && !(isPost && await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false)))
        {
            return Refuse(context, logger, string.IsNullOrEmpty(givenSid)
                ? "Logging out needs the session's sid (see bff:logout_url from /bff/user) or a form of this site."
                : "The sid does not belong to this session.");
        }

        string? idToken = null;
        if (sessionKey is { Length: > 0 } key)
        {
            // Read the ID token before the session goes: it is the id_token_hint of RP-initiated logout.
            idToken = (await store.GetAsync(key, context.RequestAborted).ConfigureAwait(false))?.Tokens?.IdToken;
            await sessions.EndByKeyAsync(key, Bff.Sessions.SessionEndReason.Logout, context.RequestAborted).ConfigureAwait(false);
        }

        await context.SignOutAsync(BffAuthenticationDefaults.CookieScheme).ConfigureAwait(false);

        // This browser asked to be signed out: no silent sign-in undoes it (see SilentLogin).
        Bff.Login.Internal.SilentLogin.Suppress(context);
        if (mode == BffLogoutMode.Keycloak &&
            await endSession.BuildAsync(context, idToken, returnUrl).ConfigureAwait(false) is { } endSessionUrl)
        {
            return TypedResults.Redirect(endSessionUrl);
        }

        return TypedResults.Redirect(returnUrl);
    }

    private static bool TryGetSingle(HttpContext context, IFormCollection? form, string name, out string? value)
    {
        var values = context.Request.Query[name];
        if (values.Count == 0 && form is not null)
        {
            values = form[name];
        }

        value = values.Count == 1 ? values[0] : null;
        return values.Count <= 1;
    }

    private static bool SameSid(string? expected, string? given) =>
        !string.IsNullOrEmpty(expected) && !string.IsNullOrEmpty(given) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private static IResult Refuse(HttpContext context, ILogger logger, string reason)
    {
        logger.LogoutRefused(reason);
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<LogoutSettings>>().CurrentValue;
        var accept = context.Request.Headers.Accept.ToString();
        if (BffApiRequest.IsApiRequest(context, options.EffectiveApiPathPrefixes) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Logout refused", detail: reason);
        }

        // A person followed a link: a readable page, not a JSON document.
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Logout refused</title></head>
            <body><h1>You are still signed in</h1><p>{System.Net.WebUtility.HtmlEncode(reason)}</p>
            <p>Use the Sign out button of the application. <a href="/">Back to the application</a></p></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status400BadRequest);
    }
}
