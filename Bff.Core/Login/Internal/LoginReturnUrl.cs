namespace Bff.Login.Internal;

/// <summary>Decides whether a <c>returnUrl</c> is a local URL the BFF may redirect to.</summary>
internal static class LoginReturnUrl
{
    /// <summary>
    /// Accepts a path on this site (<c>/x</c>, <c>/x?y#z</c>); refuses absolute URLs, protocol-relative
    /// <c>//host</c>, <c>/\host</c>, backslashes, control characters and whitespace anywhere (browsers
    /// strip tabs and newlines, turning <c>/\t/host</c> into <c>//host</c>), and the same tricks once
    /// percent-decoded. An empty value means <c>/</c>.
    /// </summary>
    public static bool TryGetLocal(string? returnUrl, out string localUrl)
    {
        localUrl = "/";
        if (string.IsNullOrEmpty(returnUrl))
        {
            return true;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(returnUrl);
        }
        catch (UriFormatException)
        {
            return false;
        }

        if (!IsLocalPath(returnUrl, allowSpace: false) || !IsLocalPath(decoded, allowSpace: true))
        {
            return false;
        }

        localUrl = returnUrl;
        return true;
    }

    /// <summary>A checked return URL with query parameters appended (before any fragment), to report a result to the page.</summary>
    public static string WithQuery(string returnUrl, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var hash = returnUrl.IndexOf('#', StringComparison.Ordinal);
        var (path, fragment) = hash < 0 ? (returnUrl, "") : (returnUrl[..hash], returnUrl[hash..]);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, parameters) + fragment;
    }

    private static bool IsLocalPath(string value, bool allowSpace)
    {
        if (value.Length == 0 || value[0] != '/')
        {
            return false;
        }

        if (value.Length > 1 && (value[1] == '/' || value[1] == '\\'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c == '\\' || char.IsControl(c) || (char.IsWhiteSpace(c) && !(allowSpace && c == ' ')))
            {
                return false;
            }
        }

        return true;
    }
}
