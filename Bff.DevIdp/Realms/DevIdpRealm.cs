namespace Bff.DevIdp.Realms;

/// <summary>A realm loaded from a Keycloak realm file.</summary>
internal sealed class DevIdpRealm
{
    public required string Name { get; init; }

    /// <summary>The file the realm came from, for messages.</summary>
    public required string SourceFile { get; init; }

    public TimeSpan AccessTokenLifespan { get; set; } = TimeSpan.FromSeconds(300);

    public TimeSpan SsoSessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(1800);

    public TimeSpan SsoSessionMaxLifespan { get; init; } = TimeSpan.FromSeconds(36000);

    /// <summary>Realm <c>clientSessionIdleTimeout</c>: a client's refresh tokens die sooner than the SSO session. Null: not set.</summary>
    public TimeSpan? ClientSessionIdleTimeout { get; init; }

    /// <summary>Realm <c>clientSessionMaxLifespan</c>. Null: not set.</summary>
    public TimeSpan? ClientSessionMaxLifespan { get; init; }

    public bool RevokeRefreshToken { get; init; }

    public bool LoginWithEmailAllowed { get; init; } = true;

    /// <summary>
    /// The realm's <c>acr.loa.map</c> (acr value to Level of Authentication). A realm that has one is taken to
    /// use a step-up browser flow: the one-time password is asked only when level 2 is requested. Empty: none.
    /// </summary>
    public IReadOnlyDictionary<string, int> AcrLoaMap { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// The aliases of the realm's enabled required actions, which application-initiated actions (<c>kc_action</c>)
    /// may start: the realm file's <c>requiredActions</c>, else what a new Keycloak 26 realm enables
    /// (<c>delete_account</c> and <c>UPDATE_EMAIL</c> are registered there but off).
    /// </summary>
    public IReadOnlySet<string> EnabledRequiredActions { get; init; } = DefaultRequiredActions;

    /// <summary>The required actions a new Keycloak 26 realm enables.</summary>
    public static readonly IReadOnlySet<string> DefaultRequiredActions = new HashSet<string>(StringComparer.Ordinal)
    {
        "CONFIGURE_TOTP", "UPDATE_PASSWORD", "UPDATE_PROFILE", "VERIFY_EMAIL", "webauthn-register", "delete_credential", "update_user_locale",
    };

    /// <summary>Whether the realm's browser flow steps up by level (it has an <c>acr.loa.map</c>).</summary>
    public bool HasStepUpFlow => AcrLoaMap.Count > 0;

    public required IReadOnlyDictionary<string, DevIdpClient> Clients { get; init; }

    public required IReadOnlyList<DevIdpUser> Users { get; init; }

    /// <summary>Composite roles, and the roles and attributes of groups, as the realm file defines them.</summary>
    public Mappers.RoleModel RoleModel { get; init; } = Mappers.RoleModel.Empty;

    /// <summary>What the realm file holds that the DevIdp loads but cannot honour (an unknown mapper type, ...), for the start-up log.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public DevIdpClient? FindClient(string? clientId) =>
        clientId is not null && Clients.TryGetValue(clientId, out var client) ? client : null;

    public DevIdpUser? FindUserById(string? id) =>
        id is null ? null : Users.FirstOrDefault(u => !u.Deleted && string.Equals(u.Id, id, StringComparison.Ordinal));

    /// <summary>Finds a user by user name, or by e-mail when the realm allows it, case-insensitively like Keycloak.</summary>
    public DevIdpUser? FindUserForLogin(string? usernameOrEmail)
    {
        if (string.IsNullOrWhiteSpace(usernameOrEmail))
        {
            return null;
        }

        var candidate = usernameOrEmail.Trim();
        return Users.FirstOrDefault(u => u.ServiceAccountClientId is null && !u.Deleted
                && string.Equals(u.Username, candidate, StringComparison.OrdinalIgnoreCase))
            ?? (LoginWithEmailAllowed
                ? Users.FirstOrDefault(u => u.Email is not null && u.ServiceAccountClientId is null && !u.Deleted
                    && string.Equals(u.Email, candidate, StringComparison.OrdinalIgnoreCase))
                : null);
    }

    public DevIdpUser? FindServiceAccount(string clientId) =>
        Users.FirstOrDefault(u => string.Equals(u.ServiceAccountClientId, clientId, StringComparison.Ordinal));
}

/// <summary>A user of a realm.</summary>
internal sealed class DevIdpUser
{
    public required string Id { get; init; }

    public required string Username { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>The e-mail address (changed by the UPDATE_PROFILE and UPDATE_EMAIL actions).</summary>
    public string? Email { get; set; }

    public bool EmailVerified { get; set; }

    /// <summary>The first name (changed by the UPDATE_PROFILE action).</summary>
    public string? FirstName { get; set; }

    /// <summary>The last name (changed by the UPDATE_PROFILE action).</summary>
    public string? LastName { get; set; }

    /// <summary>
    /// The password from the realm file (clear or hashed as Keycloak hashes it), or the one the user set through
    /// the UPDATE_PASSWORD action; never logged.
    /// </summary>
    public StoredPassword? Password { get; set; }

    /// <summary>The user's one-time password credential (from the realm file or CONFIGURE_TOTP); null: none.</summary>
    public Login.OtpCredential? Otp { get; set; }

    /// <summary>Deleted through the delete_account action: the user can no longer sign in or be found.</summary>
    public bool Deleted { get; set; }

    public string? ServiceAccountClientId { get; init; }

    /// <summary>User attributes (Keycloak keeps every attribute as a list of strings).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public required IReadOnlyList<string> RealmRoles { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ClientRoles { get; init; }

    /// <summary>Group paths, each starting with <c>/</c>.</summary>
    public required IReadOnlyList<string> Groups { get; init; }

    public string? FullName =>
        string.Join(' ', new[] { FirstName, LastName }.Where(p => !string.IsNullOrEmpty(p))) is { Length: > 0 } name ? name : null;
}
