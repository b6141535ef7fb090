using System.Text.RegularExpressions;

namespace Bff.DevIdp.Realms;

/// <summary>
/// Matches a requested redirect URI against a client's registered ones the way Keycloak 26's RedirectUtils does
/// (<c>*</c>, a trailing <c>*</c>, URIs relative to <c>rootUrl</c>, host compared case-insensitively), and never
/// more permissively: where Keycloak versions differ, or a form is rarely used, the stricter answer wins.
/// </summary>
internal static partial class RedirectUriMatcher
{
    // OAuth response parameters must not be smuggled into the redirect URI (HTTP parameter pollution).
    private static readonly HashSet<string> ForbiddenParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "id_token", "access_token", "token_type", "expires_in", "state", "iss", "error",
        "error_description", "session_state", "response", "kc_action", "kc_action_status",
    };

    /// <summary>
    /// Whether <paramref name="requested"/> is one of <paramref name="registered"/>. Relative registered URIs
    /// resolve against <paramref name="rootUrl"/>, whose <c>${authBaseUrl}</c> and <c>${authAdminUrl}</c> (and an
    /// empty root) mean <paramref name="serverOrigin"/>, the DevIdp's own <c>scheme://host:port</c>.
    /// </summary>
    public static bool Matches(string? requested, IEnumerable<string> registered, string? rootUrl, string serverOrigin)
    {
        ArgumentNullException.ThrowIfNull(registered);
        if (string.IsNullOrEmpty(requested) || !Uri.TryCreate(requested, UriKind.Absolute, out var uri))
        {
            return false;
        }

        // Stricter than Keycloak: no user info (https://good@evil), no fragment (RFC 6749 3.1.2), no OAuth
        // response parameters in the query.
        if (uri.UserInfo.Length > 0 || requested.Contains('#', StringComparison.Ordinal) || HasForbiddenParameter(uri))
        {
            return false;
        }

        var candidate = NormalizeAuthority(requested);
        var web = uri.Scheme is "http" or "https";

        // A "/.." in the path (plain or encoded) could climb out of a wildcard's prefix: wildcards are off then.
        var wildcardsAllowed = !UnsafePath().IsMatch(candidate.Split('?')[0]);
        foreach (var pattern in registered)
        {
            if (pattern == "*")
            {
                // Keycloak's full wildcard: any http(s) URI.
                if (web)
                {
                    return true;
                }

                continue;
            }

            var resolved = NormalizeAuthority(pattern.StartsWith('/') ? Root(rootUrl, serverOrigin) + pattern : pattern);

            // Another scheme (an app's custom scheme) only where a registered URI names it.
            if (!web && !resolved.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (resolved.EndsWith('*') && !resolved.Contains('?', StringComparison.Ordinal) && !resolved.Contains('#', StringComparison.Ordinal))
            {
                if (wildcardsAllowed && MatchesWildcard(resolved, candidate))
                {
                    return true;
                }
            }
            else if (string.Equals(resolved, candidate, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A client's post-logout redirect URIs with <c>+</c> replaced by its redirect URIs, as Keycloak reads them.</summary>
    public static IEnumerable<string> PostLogoutPatterns(DevIdpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PostLogoutRedirectUris.SelectMany(uri => uri == "+" ? client.RedirectUris : [uri]);
    }

    private static bool MatchesWildcard(string pattern, string candidate)
    {
        var prefix = pattern[..^1];
        var authorityEnd = AuthorityEnd(prefix);
        if (authorityEnd < 0)
        {
            return false;
        }

        if (authorityEnd == prefix.Length)
        {
            // "https://host*": the wildcard applies after the authority, never to the host or port themselves
            // (Keycloak's port and host wildcards are not supported here).
            if (prefix.EndsWith(':') || prefix.Contains('*', StringComparison.Ordinal))
            {
                return false;
            }

            prefix += "/";
        }

        // The query is not compared where a wildcard applies.
        var path = candidate.Split('?')[0];
        // "https://app/cb/*" also allows "https://app/cb" itself, as in Keycloak.
        return path.StartsWith(prefix, StringComparison.Ordinal)
            || (prefix.EndsWith('/') && string.Equals(path, prefix[..^1], StringComparison.Ordinal));
    }

    private static string Root(string? rootUrl, string serverOrigin)
    {
        if (string.IsNullOrEmpty(rootUrl))
        {
            return serverOrigin;
        }

        return rootUrl.Replace("${authBaseUrl}", serverOrigin, StringComparison.Ordinal)
            .Replace("${authAdminUrl}", serverOrigin, StringComparison.Ordinal)
            .TrimEnd('/');
    }

    // Scheme and host compare case-insensitively; path and query exactly.
    private static string NormalizeAuthority(string uri)
    {
        var end = AuthorityEnd(uri);
        return end < 0 ? uri : uri[..end].ToLowerInvariant() + uri[end..];
    }

    private static int AuthorityEnd(string uri)
    {
        var start = uri.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return -1;
        }

        var end = uri.IndexOfAny(['/', '?', '#'], start + 3);
        return end < 0 ? uri.Length : end;
    }

    private static bool HasForbiddenParameter(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => Uri.UnescapeDataString(pair.Split('=')[0]))
            .Any(ForbiddenParameters.Contains);

    // Keycloak's unsafe path pattern: a separator, two dots (plain, %2E or %252E), then a separator or the end.
    [GeneratedRegex(@"(/|%2f|%5c|\\)(%2e|%252e|\.){2}(/|%2f|%5c|\\|;|%3b|%09|%0a|%0d|%00|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnsafePath();
}
