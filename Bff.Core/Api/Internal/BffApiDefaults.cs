namespace Bff.Api.Internal;

/// <summary>
/// Names used by the BFF's API protection. Internal: an app marks its endpoints with
/// <c>RequireBffApi()</c> rather than naming the scheme or policy, and the SPA's header is part of
/// the documented HTTP contract, not of the .NET surface.
/// </summary>
internal static class BffApiDefaults
{
    /// <summary>
    /// The authentication scheme of API endpoints: authenticates by bearer token when the request
    /// carries one, else by the cookie session; challenges and forbids with JSON, never a redirect.
    /// </summary>
    public const string AuthenticationScheme = "BffApi";

    /// <summary>The JWT bearer scheme for non-browser clients.</summary>
    public const string BearerScheme = "BffBearer";

    /// <summary>The authorization policy every BFF API endpoint gets: an authenticated user, by cookie or bearer.</summary>
    public const string Policy = "BffApi";

    /// <summary>The anti-forgery header a browser must send with cookie-authenticated API calls.</summary>
    public const string AntiforgeryHeaderName = "X-CSRF";

    /// <summary>The value the anti-forgery header must have.</summary>
    public const string AntiforgeryHeaderValue = "1";
}
