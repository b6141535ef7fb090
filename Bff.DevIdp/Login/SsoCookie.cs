using System.Net;
using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Login;

/// <summary>
/// The SSO session cookie. Its name differs from every BFF cookie because cookies ignore ports: on localhost
/// the BFF and the DevIdp share one jar. Like Keycloak's KEYCLOAK_IDENTITY it is scoped to the realm's path.
/// </summary>
internal static class SsoCookie
{
    public const string Name = "DEVIDP_IDENTITY";

    public static string? Read(HttpContext context) => context.Request.Cookies[Name];

    public static void Write(HttpContext context, DevIdpRealm realm, string cookieValue)
    {
        // The value is the session's 256-bit random cookie secret (never its sid), looked up server-side;
        // it expires with the session.
        context.Response.Cookies.Append(Name, cookieValue, Options(context, realm, realm.SsoSessionMaxLifespan));
    }

    public static void Delete(HttpContext context, DevIdpRealm realm) =>
        context.Response.Cookies.Delete(Name, Options(context, realm, null));

    private static CookieOptions Options(HttpContext context, DevIdpRealm realm, TimeSpan? maxAge)
    {
        // Browsers treat http://localhost and http://127.0.0.1 as secure contexts and keep Secure cookies there;
        // SameSite=None (as Keycloak does) lets a silent prompt=none request carry the session from an iframe.
        var secure = context.Request.IsHttps || IsLoopback(context);
        return new CookieOptions
        {
            Path = $"/realms/{realm.Name}/",
            HttpOnly = true,
            Secure = secure,
            SameSite = secure ? SameSiteMode.None : SameSiteMode.Lax,
            MaxAge = maxAge,
            IsEssential = true,
        };
    }

    private static bool IsLoopback(HttpContext context) =>
        context.Request.Host.Host is "localhost"
        || (IPAddress.TryParse(context.Request.Host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
