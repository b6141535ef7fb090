using Microsoft.AspNetCore.Http;

namespace Bff.Api.Internal;

/// <summary>Tells API requests (answered with JSON status codes) from page requests (answered with redirects).</summary>
internal static class BffApiRequest
{
    /// <summary>
    /// Whether the request is an API call: its path starts with one of
    /// <see cref="BffOptions.EffectiveApiPathPrefixes"/>, or it carries the <c>X-CSRF</c> header the SPA sends.
    /// </summary>
    public static bool IsApiRequest(HttpContext context, BffOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.Request.Headers.ContainsKey("X-CSRF"))
        {
            return true;
        }

        var path = context.Request.Path;
        return options.EffectiveApiPathPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
