using Bff.DevIdp;

namespace Bff.Tests.TestInfra;

/// <summary>
/// The Keycloak 26 exports in Bff.Tests/DevIdp/Exports, as <c>kc.sh export --dir D --users different_files
/// --users-per-file 4</c> writes them: realm <c>acme</c> with its users in <c>acme-users-0.json</c> and
/// <c>acme-users-1.json</c>, realm <c>globex</c> with its users inside <c>globex-realm.json</c>. Their passwords are
/// stored hashed (argon2 and pbkdf2, as Keycloak stores them); the plain texts are here.
/// </summary>
public static class ExportedRealms
{
    /// <summary>The folder of the export files (found by walking up from the test binaries).</summary>
    public static string FolderPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "Bff.Tests", "DevIdp", "Exports");
                if (File.Exists(Path.Combine(candidate, "acme-realm.json")))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("Bff.Tests/DevIdp/Exports not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Copies the export files into a new temporary folder (to add or break one) and returns it.</summary>
    public static string CopyToTemporaryFolder()
    {
        var folder = Directory.CreateTempSubdirectory("devidp-exports-").FullName;
        foreach (var file in Directory.GetFiles(FolderPath, "*.json"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    /// <summary>Starts a DevIdp serving the exports (dispose it).</summary>
    public static Task<DevIdpServer> StartAsync(string? folder = null) => DevIdpFixture.StartAsync(o => o.RealmsPath = folder ?? FolderPath);

    /// <summary>Argon2id with Keycloak's default parameters (5 iterations, 7168 KiB, parallelism 1, 32 bytes).</summary>
    public static readonly ExportedUser Ada = new("acme", "3fa74970-8888-48fa-8c30-d44662d8e899", "ada", "ada-argon2id-password", "argon2 id", "Ada", "Lovelace", "ada@acme.test", true);

    /// <summary>Argon2i.</summary>
    public static readonly ExportedUser Ian = new("acme", "6dacec4d-0ef8-419c-a09f-a649a8928577", "ian", "ian-argon2i-password", "argon2 i", "Ian", "Irving", "ian@acme.test", true);

    /// <summary>Argon2d.</summary>
    public static readonly ExportedUser Dora = new("acme", "bf61a86b-8c82-4526-a7fc-0c49c8cf984e", "dora", "dora-argon2d-password", "argon2 d", "Dora", "Dunn", "dora@acme.test", true);

    /// <summary>pbkdf2-sha512, 210,000 iterations (Keycloak 24+'s default for it).</summary>
    public static readonly ExportedUser Sam = new("acme", "bdc9449d-5ba8-4440-8435-44818cbdd272", "sam", "sam-pbkdf2-sha512-password", "pbkdf2-sha512", "Sam", "Sato", "sam@acme.test", true);

    /// <summary>pbkdf2-sha256, 27,500 iterations (a user hashed by an older Keycloak).</summary>
    public static readonly ExportedUser Tess = new("acme", "ec38f2c8-d156-4a2b-b435-a544d00ce5a4", "tess", "tess-pbkdf2-sha256-password", "pbkdf2-sha256", "Tess", "Tanaka", "tess@acme.test", true);

    /// <summary>pbkdf2 (HMAC-SHA1), 27,500 iterations; e-mail not verified.</summary>
    public static readonly ExportedUser Otto = new("acme", "80d75856-b151-4039-970b-beecba0d9096", "otto", "otto-pbkdf2-sha1-password", "pbkdf2", "Otto", "Olsen", "otto@acme.test", true);

    /// <summary>Disabled (argon2id): the right password is refused.</summary>
    public static readonly ExportedUser Dan = new("acme", "3dd69373-3a1c-4d7b-8305-6860f28305eb", "dan", "dan-disabled-password", "argon2 id", "Dan", "Disabled", "dan@acme.test", false);

    /// <summary>globex, argon2id, in the realm file itself.</summary>
    public static readonly ExportedUser Gina = new("globex", "4c7fcd41-437c-4445-b83c-b8f4ef649b01", "gina", "gina-argon2id-password", "argon2 id", "Gina", "Garcia", "gina@globex.test", true);

    /// <summary>globex, pbkdf2-sha256 with 600,000 iterations (Keycloak 24+'s default for it).</summary>
    public static readonly ExportedUser Paul = new("globex", "d997a8d2-0040-487a-9b3f-d5401e1e83f6", "paul", "paul-pbkdf2-sha256-password", "pbkdf2-sha256", "Paul", "Park", "paul@globex.test", true);

    /// <summary>globex, disabled (pbkdf2-sha512).</summary>
    public static readonly ExportedUser Hank = new("globex", "bd4d0c82-8a25-49b6-b824-4fb578658f4b", "hank", "hank-disabled-password", "pbkdf2-sha512", "Hank", "Hold", "hank@globex.test", false);

    /// <summary>Every human user above.</summary>
    public static readonly IReadOnlyList<ExportedUser> All = [Ada, Ian, Dora, Sam, Tess, Otto, Dan, Gina, Paul, Hank];

    /// <summary>acme's confidential client for the BFF: <c>redirectUris ["/*"]</c> under <c>rootUrl</c>, PAR and PKCE S256 required.</summary>
    public static readonly ExportedClient AcmePortal = new("acme", "acme-portal", "acme-portal-secret");

    /// <summary>globex's confidential client registered with <c>redirectUris ["*"]</c>.</summary>
    public static readonly ExportedClient GlobexWeb = new("globex", "globex-web", "globex-web-secret");

    /// <summary>acme's service-account client; its service account is <see cref="AcmeWorkerServiceAccountId"/>.</summary>
    public static readonly ExportedClient AcmeWorker = new("acme", "acme-worker", "acme-worker-secret");

    /// <summary>The id of acme-worker's service-account user.</summary>
    public const string AcmeWorkerServiceAccountId = "cf218315-b01b-4108-9d80-113d715fe220";
}

/// <summary>A user of the exports, with the password its stored hash was made from.</summary>
public sealed record ExportedUser(
    string Realm, string Id, string Username, string Password, string Hash, string FirstName, string LastName, string Email, bool Enabled)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Realm}/{Username} ({Hash})";
}

/// <summary>A client of the exports.</summary>
public sealed record ExportedClient(string Realm, string ClientId, string Secret);
