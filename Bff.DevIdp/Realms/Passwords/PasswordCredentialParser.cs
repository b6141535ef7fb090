using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Bff.DevIdp.Realms;

/// <summary>
/// Reads a user's password credential as Keycloak writes it: a plain <c>value</c> (hand-written files), or the
/// <c>secretData</c> and <c>credentialData</c> JSON strings of an export. Anything the DevIdp could not verify the
/// way Keycloak does is refused here, at start-up, with its JSON path.
/// </summary>
internal static class PasswordCredentialParser
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The user's password, or null when the user has none (a service account, or a user without credentials).</summary>
    public static StoredPassword? Parse(IReadOnlyList<CredentialRepresentation> credentials, string userPath, string realm, string username)
    {
        for (var i = 0; i < credentials.Count; i++)
        {
            if (!string.Equals(credentials[i].Type, "password", StringComparison.Ordinal) && !string.Equals(credentials[i].Type, "otp", StringComparison.Ordinal))
            {
                // Keycloak would ask for this second factor at login; signing in with the password alone would be
                // more permissive than the realm says.
                throw new RealmDataException($"{userPath}.credentials[{i}].type",
                    $"credential type '{credentials[i].Type}' of user '{username}' in realm '{realm}' is not supported (the DevIdp checks passwords and one-time passwords only).");
            }
        }

        // Keycloak uses the first password credential (the highest priority one).
        var first = credentials.Select((c, i) => (Credential: c, Index: i)).FirstOrDefault(p => p.Credential.Type == "password");
        return first.Credential is null ? null : ParsePassword(first.Credential, $"{userPath}.credentials[{first.Index}]", realm, username);
    }

    /// <summary>
    /// The user's one-time password credential as Keycloak exports it (<c>secretData</c> <c>{"value":"..."}</c>,
    /// <c>credentialData</c> <c>{"subType":"totp","digits":6,"period":30,"algorithm":"HmacSHA1"}</c>); null when none.
    /// A counter-based (hotp) one stops start-up: signing in without the second factor would be more permissive.
    /// </summary>
    public static Login.OtpCredential? ParseOtp(IReadOnlyList<CredentialRepresentation> credentials, string userPath, string realm, string username)
    {
        for (var i = 0; i < credentials.Count; i++)
        {
            if (credentials[i].Type != "otp")
            {
                continue;
            }

            var path = $"{userPath}.credentials[{i}]";
            var secret = credentials[i].SecretData is { } secretJson ? Deserialize<PasswordSecretData>(secretJson, path + ".secretData") : null;
            var data = credentials[i].CredentialData is { } dataJson ? Deserialize<OtpCredentialData>(dataJson, path + ".credentialData") : null;
            if (string.IsNullOrEmpty(secret?.Value) || data is null || !string.Equals(data.SubType ?? "totp", "totp", StringComparison.Ordinal))
            {
                throw new RealmDataException(path + ".type",
                    $"the 'otp' credential of user '{username}' in realm '{realm}' must be a totp with secretData.value (the DevIdp supports time-based one-time passwords only).");
            }

            return new Login.OtpCredential(secret.Value, data.Digits ?? 6, data.Period ?? 30, data.Algorithm ?? "HmacSHA1");
        }

        return null;
    }

    private sealed class OtpCredentialData
    {
        public string? SubType { get; set; }
        public int? Digits { get; set; }
        public int? Period { get; set; }
        public string? Algorithm { get; set; }
    }

    private static StoredPassword ParsePassword(CredentialRepresentation credential, string path, string realm, string username)
    {
        if (credential.Value is { } plain)
        {
            return new PlainPassword(plain);
        }

        if (credential.SecretData is null || credential.CredentialData is null)
        {
            throw new RealmDataException(path, $"the password of user '{username}' in realm '{realm}' has neither \"value\" nor \"secretData\" and \"credentialData\".");
        }

        var secret = Deserialize<PasswordSecretData>(credential.SecretData, path + ".secretData");
        var data = Deserialize<PasswordCredentialData>(credential.CredentialData, path + ".credentialData");
        var hash = Base64(secret.Value, path + ".secretData", "value");
        var salt = Base64(secret.Salt, path + ".secretData", "salt");
        var parameters = data.AdditionalParameters ?? [];
        var dataPath = path + ".credentialData";

        switch (data.Algorithm)
        {
            case "argon2":
                var kind = Parameter(parameters, "type", "id") switch
                {
                    "id" => Argon2Kind.Id,
                    "i" => Argon2Kind.I,
                    "d" => Argon2Kind.D,
                    var other => throw new RealmDataException(dataPath, $"argon2 type '{other}' of user '{username}' in realm '{realm}' is not one of id, i, d."),
                };

                // Konscious (like Keycloak's default) implements Argon2 version 1.3 (0x13) only.
                if (Parameter(parameters, "version", "1.3") is not "1.3" and var version)
                {
                    throw new RealmDataException(dataPath, $"argon2 version '{version}' of user '{username}' in realm '{realm}' is not supported (only 1.3).");
                }

                var hashLength = Number(parameters, "hashLength", hash.Length, dataPath);
                if (hashLength != hash.Length)
                {
                    throw new RealmDataException(dataPath,
                        $"argon2 hashLength {hashLength} of user '{username}' in realm '{realm}' does not match the stored hash ({hash.Length} bytes).");
                }

                return new Argon2Password(kind, Positive(data.HashIterations ?? 5, "hashIterations", dataPath),
                    Positive(Number(parameters, "memory", 7168, dataPath), "memory", dataPath),
                    Positive(Number(parameters, "parallelism", 1, dataPath), "parallelism", dataPath), salt, hash);
            case "pbkdf2":
                return Pbkdf2(HashAlgorithmName.SHA1);
            case "pbkdf2-sha256":
                return Pbkdf2(HashAlgorithmName.SHA256);
            case "pbkdf2-sha512":
                return Pbkdf2(HashAlgorithmName.SHA512);
            default:
                throw new RealmDataException(dataPath,
                    $"password hash algorithm '{data.Algorithm}' of user '{username}' in realm '{realm}' is not supported (argon2, pbkdf2, pbkdf2-sha256, pbkdf2-sha512 are).");
        }

        StoredPassword Pbkdf2(HashAlgorithmName algorithm) =>
            new Pbkdf2Password(algorithm, Positive(data.HashIterations ?? 0, "hashIterations", dataPath), salt, hash);
    }

    private static T Deserialize<T>(string json, string path)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonOptions) ?? throw new RealmDataException(path, "the JSON string holds null.");
        }
        catch (JsonException ex)
        {
            throw new RealmDataException(path, "the JSON string is malformed: " + ex.Message, ex);
        }
    }

    private static byte[] Base64(string? value, string path, string name)
    {
        try
        {
            return value is { Length: > 0 } ? Convert.FromBase64String(value) : throw new FormatException("it is empty");
        }
        catch (FormatException ex)
        {
            throw new RealmDataException(path, $"\"{name}\" is not base64 ({ex.Message}).", ex);
        }
    }

    private static string Parameter(Dictionary<string, List<string>> parameters, string name, string fallback) =>
        parameters.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : fallback;

    private static int Number(Dictionary<string, List<string>> parameters, string name, int fallback, string path)
    {
        var text = Parameter(parameters, name, fallback.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RealmDataException(path, $"argon2 parameter {name} '{text}' is not a number.");
    }

    private static int Positive(int value, string name, string path) =>
        value > 0 ? value : throw new RealmDataException(path, $"{name} must be positive, not {value}.");
}
