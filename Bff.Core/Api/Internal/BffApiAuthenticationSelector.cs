using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bff.Api.Internal;

/// <summary>Tells bearer-token calls from cookie-session calls.</summary>
internal static class BffApiAuthenticationSelector
{
    /// <summary>
    /// Whether the request carries <c>Authorization: Bearer ...</c>. Such a request is
    /// authenticated by that token alone; its cookies are ignored, so it needs no anti-forgery header.
    /// </summary>
    /// <param name="request">The request.</param>
    public static bool IsBearerRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
    }
}
