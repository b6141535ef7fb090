namespace Bff.Configuration;

/// <summary>Local user mapping settings, bound from <c>Bff:Users</c>.</summary>
public sealed class BffUserOptions
{
    /// <summary>
    /// Whether the first login of an identity-provider user links a pre-existing local user (one
    /// imported without issuer and subject) instead of creating a new one, and by what.
    /// Defaults to <see cref="UserLinkMode.None"/>.
    /// </summary>
    public UserLinkMode LinkExistingBy { get; set; } = UserLinkMode.None;
}

/// <summary>How a first login finds a pre-existing local user to link (<c>Bff:Users:LinkExistingBy</c>).</summary>
public enum UserLinkMode
{
    /// <summary>Never link; every new identity-provider user gets a new local user.</summary>
    None = 1,

    /// <summary>Link by email (case-insensitive), and only when the provider says the email is verified.</summary>
    Email = 2,

    /// <summary>Link by verified email first, then by user name (<c>preferred_username</c>), as the seed did.</summary>
    EmailThenUsername = 3,
}
