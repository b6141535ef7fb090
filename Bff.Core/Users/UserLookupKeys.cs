namespace Bff.Users;

/// <summary>
/// The one case-insensitive form of the fields users are looked up by (email, user name), shared by
/// every <see cref="IUserStore"/>, so that a user found by one store is found by another.
/// </summary>
public static class UserLookupKeys
{
    /// <summary>The lookup form of an email address or user name: trimmed, upper case (invariant culture).</summary>
    /// <param name="value">The email address or user name.</param>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToUpperInvariant();
    }
}
