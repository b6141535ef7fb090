namespace Bff.Users.Internal;

/// <summary>
/// Error codes of a refused user mapping. Internal: an app's mapper and error page use the public
/// <see cref="Login.LoginErrors"/>, which names each of these once more for them.
/// </summary>
internal static class UserMappingErrors
{
    /// <summary>More than one pre-existing local user matches; the BFF refuses to guess.</summary>
    public const string AmbiguousLink = "user_link_ambiguous";
}
