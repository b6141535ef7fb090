using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Login.Internal;

/// <summary>
/// Silent sign-in (<c>/bff/login?prompt=none</c>): the identity provider answers without showing a
/// page, and whatever it answers, the browser goes back to the <c>returnUrl</c>, with
/// <c>?bff_login=code</c> when it did not sign in, never to the error page.
/// </summary>
/// <remarks>
/// Important: after an explicit logout this browser is not signed in silently again until someone signs
/// in interactively; otherwise, in <c>Local</c> logout mode (the Keycloak SSO session lives on), a SPA
/// that tries a silent sign-in on start would sign the user straight back in after every logout.
/// </remarks>
internal static class SilentLogin
{
    /// <summary>The query parameter the result comes back in.</summary>
    public const string ResultParameter = "bff_login";

    /// <summary>The answer when the browser is not signed in at the provider (or logged out here).</summary>
    public const string LoginRequired = "login_required";

    // Persisted in the protected state, so the callback knows the login was silent.
    private const string SilentItem = "bff.silent";

    // Set by logout; HttpOnly, so only the server reads it, and it names nobody.
    private const string SignedOutCookie = "__Host-bff-signedout";

    // The provider's answers a SPA can act on (OIDC Core 3.1.2.6); anything else is a login failure code.
    private static readonly HashSet<string> ProviderAnswers = new(StringComparer.Ordinal)
    {
        "login_required", "interaction_required", "consent_required", "account_selection_required",
    };

    public static void Mark(AuthenticationProperties properties) => properties.Items[SilentItem] = "1";

    public static bool IsSuppressed(HttpContext context) => context.Request.Cookies.ContainsKey(SignedOutCookie);

    /// <summary>Called by logout: no silent sign-in in this browser until the next interactive one.</summary>
    public static void Suppress(HttpContext context) =>
        context.Response.Cookies.Append(SignedOutCookie, "1", new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
            MaxAge = TimeSpan.FromHours(12),
        });

    /// <summary>Called when a login succeeded.</summary>
    public static void Clear(HttpContext context)
    {
        if (IsSuppressed(context))
        {
            context.Response.Cookies.Delete(SignedOutCookie, new CookieOptions { Secure = true, Path = "/", SameSite = SameSiteMode.Lax, HttpOnly = true });
        }
    }

    /// <summary>The return URL with the result appended (before any fragment).</summary>
    public static string WithResult(string returnUrl, string code) =>
        LoginReturnUrl.WithQuery(returnUrl, [new(ResultParameter, code)]);

    /// <summary>
    /// A failed silent login goes back to its return URL with the provider's answer. False when the
    /// login was not silent (the error page then handles it).
    /// </summary>
    public static bool TryHandleFailure(RemoteFailureContext context)
    {
        var properties = context.Properties;
        if (properties is null || !properties.Items.ContainsKey(SilentItem)
            || !LoginReturnUrl.TryGetLocal(properties.RedirectUri, out var returnUrl))
        {
            return false;
        }

        var error = context.Failure is OpenIdConnectProtocolException protocol ? protocol.Data["error"] as string : null;
        var code = error is not null && ProviderAnswers.Contains(error) ? error : LoginErrors.Classify(context.Failure);
        context.Response.Redirect(WithResult(returnUrl, code));
        context.HandleResponse();
        return true;
    }
}
