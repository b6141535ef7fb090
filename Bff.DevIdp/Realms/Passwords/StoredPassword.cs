using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Bff.DevIdp.Realms;

/// <summary>
/// A user's password as the realm file stores it: in clear (hand-written import files) or hashed the way
/// Keycloak hashes it (exports). Verification compares in constant time and never logs either side.
/// </summary>
internal abstract class StoredPassword
{
    /// <summary>Whether <paramref name="password"/> is the stored one.</summary>
    public abstract bool Matches(string password);

    /// <summary>
    /// Compared against when the user name is unknown, so an unknown user costs what a real one with Keycloak's
    /// default hash costs (no user-name probing by timing).
    /// </summary>
    public static StoredPassword Dummy { get; } = new Argon2Password(
        Argon2Kind.Id, iterations: 5, memoryKiB: 7168, parallelism: 1, salt: new byte[16], hash: new byte[32]);
}

/// <summary>A plain <c>value</c> credential of a hand-written realm file.</summary>
internal sealed class PlainPassword(string value) : StoredPassword
{
    public override bool Matches(string password) => Tokens.SecretComparer.Matches(value, password);
}

/// <summary>The Argon2 variants Keycloak's <c>argon2</c> provider writes in <c>additionalParameters.type</c>.</summary>
internal enum Argon2Kind
{
    Id,
    I,
    D,
}

/// <summary>Keycloak's <c>argon2</c> credential (its default since 24): version 1.3, memory in KiB.</summary>
internal sealed class Argon2Password(Argon2Kind kind, int iterations, int memoryKiB, int parallelism, byte[] salt, byte[] hash) : StoredPassword
{
    public override bool Matches(string password)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        using Argon2 argon2 = kind switch
        {
            Argon2Kind.Id => new Argon2id(bytes),
            Argon2Kind.I => new Argon2i(bytes),
            _ => new Argon2d(bytes),
        };
        argon2.Salt = salt;
        argon2.Iterations = iterations;
        argon2.MemorySize = memoryKiB;
        argon2.DegreeOfParallelism = parallelism;
        return CryptographicOperations.FixedTimeEquals(argon2.GetBytes(hash.Length), hash);
    }
}

/// <summary>Keycloak's <c>pbkdf2</c> (SHA-1), <c>pbkdf2-sha256</c> and <c>pbkdf2-sha512</c> credentials.</summary>
internal sealed class Pbkdf2Password(HashAlgorithmName algorithm, int iterations, byte[] salt, byte[] hash) : StoredPassword
{
    public override bool Matches(string password)
    {
        // Note: the derived key length changed across Keycloak versions (256, then 512 bits), so the stored value
        // decides how many bytes to derive, as Keycloak's own verification does.
        var derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, algorithm, hash.Length);
        return CryptographicOperations.FixedTimeEquals(derived, hash);
    }
}
