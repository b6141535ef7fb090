using Bff.Login;

namespace Bff.Security.Internal;

/// <summary>
/// The CSP <c>form-action</c> directive the BFF sends: where a form on its pages may post to, and where
/// the redirects that follow such a post may go (Chromium checks every hop of that redirect chain).
/// </summary>
/// <remarks>
/// Important: the sign-out button posts to <c>/bff/logout</c>, which in <c>Keycloak</c> mode redirects
/// to the identity provider's end_session_endpoint, so the provider's origin has to be allowed. It is
/// named exactly (the origin of <c>Oidc:Authority</c>, plus any configured extra origins) rather than
/// with <c>http:</c> / <c>https:</c>, which would let an injected form post the user's input anywhere.
/// </remarks>
internal static class FormActionSources
{
    public const string Directive = "form-action";

    /// <summary>The Content-Security-Policy header the BFF sends with these settings.</summary>
    public static string PolicyFor(BffSecurityHeadersOptions headers, BffOidcOptions oidc) =>
        Complete(headers.ContentSecurityPolicy, oidc.Authority, headers.FormActionOrigins);

    /// <summary>
    /// The policy to send: <paramref name="policy"/> as configured, with <c>form-action 'self'</c> and
    /// the origins of <paramref name="authority"/> and <paramref name="extraOrigins"/> appended unless it
    /// has a form-action directive of its own. An empty policy stays empty (no header).
    /// </summary>
    public static string Complete(string policy, string? authority, IEnumerable<string> extraOrigins)
    {
        if (string.IsNullOrWhiteSpace(policy) || Find(policy) is not null)
        {
            return policy;
        }

        var sources = new List<string> { "'self'" };
        if (Uri.TryCreate(authority, UriKind.Absolute, out var authorityUri) && OriginOf(authorityUri) is { } origin)
        {
            sources.Add(origin);
        }

        foreach (var extra in extraOrigins)
        {
            if (Uri.TryCreate(extra, UriKind.Absolute, out var uri) && OriginOf(uri) is { } extraOrigin
                && !sources.Contains(extraOrigin, StringComparer.OrdinalIgnoreCase))
            {
                sources.Add(extraOrigin);
            }
        }

        return $"{policy.TrimEnd().TrimEnd(';')}; {Directive} {string.Join(' ', sources)}";
    }

    /// <summary>The source expressions of the policy's form-action directive, or null when it has none.</summary>
    public static IReadOnlyList<string>? Find(string policy) =>
        policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => string.Equals(parts[0], Directive, StringComparison.OrdinalIgnoreCase))
            .Select(parts => (IReadOnlyList<string>)parts[1..])
            .FirstOrDefault();

    /// <summary>
    /// Whether a source expression lets a form go to any host: <c>*</c>, or a bare scheme such as
    /// <c>https:</c>.
    /// </summary>
    public static bool IsWildcard(string source) =>
        source == "*" || (source.EndsWith(':') && !source.Contains('/', StringComparison.Ordinal));

    /// <summary>Whether <paramref name="sources"/> name the origin of <paramref name="url"/> exactly.</summary>
    /// <remarks>Host wildcards (<c>https://*.example.com</c>) are not evaluated: they count as not matching.</remarks>
    public static bool Allows(IEnumerable<string> sources, Uri url) =>
        OriginOf(url) is { } origin && sources.Any(s => string.Equals(s.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>scheme://host[:port]</c> of an http(s) URL, or null for anything else.</summary>
    public static string? OriginOf(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url.GetLeftPart(UriPartial.Authority)
            : null;
}
