namespace Bff.Account;

/// <summary>Keycloak's application-initiated actions at <c>/bff/account/{action}</c> (section <c>Bff:Account</c>).</summary>
public sealed class BffAccountOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Bff:Account";

    /// <summary>
    /// The account actions endpoint's path; an action is its last segment, e.g. <c>/bff/account/UPDATE_PASSWORD</c>
    /// (<c>Bff:Account:Path</c>). Defaults to <c>/bff/account</c>.
    /// </summary>
    public string Path { get; set; } = "/bff/account";

    /// <summary>
    /// The Keycloak required-action aliases a signed-in user may start, space separated and case-sensitive as
    /// Keycloak names them (<c>UPDATE_PASSWORD</c>, <c>UPDATE_PROFILE</c>, <c>CONFIGURE_TOTP</c>, <c>UPDATE_EMAIL</c>,
    /// <c>delete_account</c>) (<c>Bff:Account:AllowedActions</c>); any other answers 400. Empty turns the endpoint's
    /// actions off. Defaults to <c>UPDATE_PASSWORD UPDATE_PROFILE CONFIGURE_TOTP</c>: the actions a new Keycloak
    /// realm enables (UPDATE_EMAIL and delete_account are off there until an administrator turns them on).
    /// </summary>
    public string AllowedActions { get; set; } = "UPDATE_PASSWORD UPDATE_PROFILE CONFIGURE_TOTP";

    /// <summary>The allowed aliases, parsed from <see cref="AllowedActions"/>.</summary>
    internal IReadOnlySet<string> AllowedActionNames() =>
        (AllowedActions ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
