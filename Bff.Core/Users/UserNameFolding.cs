namespace Bff.Users;

/// <summary>
/// How user names and emails are compared when local users are looked up and linked: ASCII letters
/// fold to upper case, every other character stays exactly as it is, and only ASCII white space is
/// trimmed. User stores index the folded value.
/// </summary>
/// <remarks>
/// Important: no culture or Unicode case mapping. <c>ToUpperInvariant</c> folds <c>ſ</c> (U+017F)
/// to <c>S</c> and <c>ı</c> (U+0131) to <c>I</c>, so an account named <c>ſam</c> would match the
/// user <c>sam</c>; Unicode normalization (NFKC) would do the same. Here a non-ASCII look-alike never
/// equals an ASCII name: the two stay separate users.
/// </remarks>
public static class UserNameFolding
{
    /// <summary>The folded form of a user name or email.</summary>
    /// <param name="value">The value as the provider or an import gave it.</param>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.AsSpan().Trim(" \t\r\n\f\v");
        return string.Create(trimmed.Length, trimmed.ToString(), static (destination, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                destination[i] = c is >= 'a' and <= 'z' ? (char)(c - ('a' - 'A')) : c;
            }
        });
    }

    /// <summary>Whether two values are the same user name or email under <see cref="Fold"/>.</summary>
    public static bool Same(string? left, string? right) =>
        left is not null && right is not null && string.Equals(Fold(left), Fold(right), StringComparison.Ordinal);
}
