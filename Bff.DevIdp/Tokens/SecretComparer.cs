using System.Security.Cryptography;
using System.Text;

namespace Bff.DevIdp.Tokens;

/// <summary>Compares secrets and passwords in constant time (hashing first so lengths do not leak either).</summary>
internal static class SecretComparer
{
    public static bool Matches(string? expected, string? presented)
    {
        var expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(expected ?? string.Empty));
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(expectedHash, presentedHash)
            && expected is not null && presented is not null;
    }
}
