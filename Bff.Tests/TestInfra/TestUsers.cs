namespace Bff.Tests.TestInfra;

/// <summary>
/// The users of realm/bff-realm.json, in one place for Bff.Tests, Bff.E2E and Bff.Bench (both compile
/// this file); RealmUsersTests checks they agree with the realm file.
/// </summary>
public static class TestUsers
{
    /// <summary>Admin and user, client roles notes-editor and notes-reader, groups /staff and /staff/engineering.</summary>
    public static readonly TestUser Alice = new(
        "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a01", "alice", "alice-password", "alice@example.com", true, true,
        "Alice", "Anderson", ["user", "admin"], BffRoles("notes-editor", "notes-reader"), ["/staff", "/staff/engineering"]);

    /// <summary>An ordinary user: role user, client role notes-reader, group /customers; has an authenticator (<see cref="BobOtpSecret"/>).</summary>
    public static readonly TestUser Bob = new(
        "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a02", "bob", "bob-password", "bob@example.com", true, true,
        "Bob", "Brown", ["user"], BffRoles("notes-reader"), ["/customers"]);

    /// <summary>
    /// Bob's one-time password secret (his <c>otp</c> credential; the key is its UTF-8 bytes), for the realm's
    /// step-up to level 2: <c>DevIdpTotp.Code(TestUsers.BobOtpSecret, now)</c>.
    /// </summary>
    public const string BobOtpSecret = "bob-totp-secret-0123";

    /// <summary>Disabled: the right password gets "Account is disabled".</summary>
    public static readonly TestUser Carol = new(
        "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a03", "carol", "carol-password", "carol@example.com", true, false,
        "Carol", "Clark", ["user"], BffRoles(), ["/customers"]);

    /// <summary>E-mail not verified.</summary>
    public static readonly TestUser Dave = new(
        "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a04", "dave", "dave-password", "dave@example.com", false, true,
        "Dave", "Davis", ["user"], BffRoles(), ["/customers"]);

    /// <summary>
    /// May delete her own account (client role delete-account of the account client). Only the account-action
    /// tests sign in as her, because they change her password, profile and e-mail, or delete her.
    /// </summary>
    public static readonly TestUser Erin = new(
        "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a07", "erin", "erin-password", "erin@example.com", true, true,
        "Erin", "Evans", ["user"], new Dictionary<string, string[]> { ["account"] = ["delete-account"] }, ["/customers"]);

    /// <summary>Every user above.</summary>
    public static readonly IReadOnlyList<TestUser> All = [Alice, Bob, Carol, Dave, Erin];

    private static Dictionary<string, string[]> BffRoles(params string[] roles) =>
        roles.Length == 0 ? [] : new() { ["bff"] = roles };
}

/// <summary>The clients of realm/bff-realm.json.</summary>
public static class TestClients
{
    /// <summary>
    /// The BFF's confidential client (PKCE S256 required, direct access grants on, a service account
    /// <c>service-account-bff</c>, standard token exchange allowed).
    /// </summary>
    public static readonly TestClient Bff = new(
        "bff", "bff-dev-secret", "http://localhost:5000/signin-oidc",
        ["http://localhost:5000/signout-callback-oidc", "http://localhost:5000/"], "http://localhost:5000/bff/backchannel");

    /// <summary>The service-account client allowed to use the admin API (realm role admin, realm-management manage-users).</summary>
    public static readonly TestClient AdminTool = new("bff-admin-tool", "bff-admin-tool-secret", null, [], null);

    /// <summary>A resource server only (bearer-only, no flows): the audience the BFF exchanges user tokens for.</summary>
    public const string DownstreamApi = "downstream-api";

    /// <summary>The realm name.</summary>
    public const string Realm = "bff";
}
