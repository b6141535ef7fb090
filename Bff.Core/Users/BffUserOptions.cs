namespace Bff.Users;

/// <summary>Local user mapping settings, bound from <c>Bff:Users</c>.</summary>
public sealed class BffUserOptions
{
    /// <summary>
    /// Whether the first login of an identity-provider user links a pre-existing local user (one
    /// imported without issuer and subject) instead of creating a new one, and by what.
    /// Defaults to <see cref="UserLinkMode.None"/>.
    /// </summary>
    public UserLinkMode LinkExistingBy { get; set; } = UserLinkMode.None;

    /// <summary>
    /// The claims the local user name is taken from, in order; the first one present with a value wins
    /// (<c>Bff:Users:UserNameClaims:&lt;n&gt;</c>). A login without any of them is refused: a local user is
    /// never created or updated without a user name. Defaults to <c>preferred_username</c>.
    /// </summary>
    public IList<string> UserNameClaims { get; } = new List<string>();

    /// <summary>The configured <see cref="UserNameClaims"/>, or <c>preferred_username</c> when none is configured.</summary>
    internal IReadOnlyList<string> EffectiveUserNameClaims =>
        UserNameClaims.Where(c => !string.IsNullOrWhiteSpace(c)).ToList() is { Count: > 0 } configured ? configured : ["preferred_username"];

    /// <summary>
    /// An administrator's one-time migration window: until this moment, <see cref="UserLinkMode.EmailThenUsername"/>
    /// links on the user name alone, without a verified equal email. Set it only while the identity
    /// provider lets nobody choose or change a user name (self-registration, editable user names and
    /// email-as-user-name off), a short time ahead, and remove it afterwards. Defaults to none: a user
    /// name links only when the provider's verified email equals the imported user's email too.
    /// </summary>
    public DateTimeOffset? UserNameLinkingUntil { get; set; }
}

/// <summary>How a first login finds a pre-existing local user to link (<c>Bff:Users:LinkExistingBy</c>).</summary>
public enum UserLinkMode
{
    /// <summary>Never link; every new identity-provider user gets a new local user.</summary>
    None = 1,

    /// <summary>Link by email (ASCII letters case-insensitive), and only when the provider says the email is verified.</summary>
    Email = 2,

    /// <summary>
    /// Link by verified email first, then by user name (<c>preferred_username</c>), as the seed did, but
    /// by user name only with proof: the provider's verified email equals the imported user's email
    /// too, or an administrator's migration window (<see cref="BffUserOptions.UserNameLinkingUntil"/>) is open.
    /// </summary>
    EmailThenUsername = 3,
}
