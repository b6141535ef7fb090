using Microsoft.AspNetCore.Http;

namespace Bff.Api.Internal;

/// <summary>Tells API requests (answered with JSON status codes) from page requests (answered with redirects).</summary>
internal static class BffApiRequest
{
    /// <summary>
    /// Whether the request is an API call: its path starts with one of <paramref name="apiPathPrefixes"/>
    /// (<c>Bff:ApiPathPrefixes</c>, or its default), or it carries the <c>X-CSRF</c> header the SPA sends.
    /// </summary>
    public static bool IsApiRequest(HttpContext context, IReadOnlyList<string> apiPathPrefixes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(apiPathPrefixes);
        if (context.Request.Headers.ContainsKey(BffApiDefaults.AntiforgeryHeaderName))
        {
            return true;
        }

        var path = context.Request.Path;
        return apiPathPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Whether the request carries the anti-forgery header with its one accepted value: a browser
    /// sends a custom header cross-origin only after a CORS preflight, which the BFF never grants.
    /// </summary>
    public static bool HasAntiforgeryHeader(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Headers[BffApiDefaults.AntiforgeryHeaderName], BffApiDefaults.AntiforgeryHeaderValue, StringComparison.Ordinal);
    }
}
