using System.Globalization;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;

namespace Bff.Login.Internal;

/// <summary>
/// The correlation and nonce cookies of unfinished logins in a browser, and dropping the oldest
/// before a new login adds its own. They are scoped to <c>/</c> (see ConfigureOpenIdConnectOptions)
/// so that <c>/bff/login</c> sees them.
/// </summary>
internal static class PendingLoginStates
{
    /// <summary>Deletes all but the newest <paramref name="keep"/> correlation and nonce cookies the request carries.</summary>
    public static void KeepNewest(HttpContext context, OpenIdConnectOptions options, int keep)
    {
        var names = CookieNamesInOrder(context.Request);
        var correlationPrefix = options.CorrelationCookie.Name!;
        var noncePrefix = options.NonceCookie.Name!;

        // Browsers send cookies of one path oldest first, which orders the correlation cookies.
        var correlations = names.Where(n => n.StartsWith(correlationPrefix, StringComparison.Ordinal)).ToList();
        foreach (var name in correlations.Take(Math.Max(0, correlations.Count - keep)))
        {
            context.Response.Cookies.Delete(name, options.CorrelationCookie.Build(context));
        }

        // A nonce carries its creation time (ticks, then a dot) inside the protected cookie name.
        var nonces = names.Where(n => n.StartsWith(noncePrefix, StringComparison.Ordinal))
            .Select(n => (Name: n, Created: Created(options, n[noncePrefix.Length..])))
            .OrderBy(n => n.Created)
            .ToList();
        foreach (var (name, _) in nonces.Take(Math.Max(0, nonces.Count - keep)))
        {
            context.Response.Cookies.Delete(name, options.NonceCookie.Build(context));
        }
    }

    private static long Created(OpenIdConnectOptions options, string protectedNonce)
    {
        var nonce = options.StringDataFormat?.Unprotect(protectedNonce);
        var dot = nonce?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0 && long.TryParse(nonce.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : 0;
    }

    private static List<string> CookieNamesInOrder(HttpRequest request)
    {
        var names = new List<string>();
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var pair in (header ?? "").Split(';'))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = (equals < 0 ? pair : pair[..equals]).Trim();
                if (name.Length > 0 && !names.Contains(name, StringComparer.Ordinal))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }
}
