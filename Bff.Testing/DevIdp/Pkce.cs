using System.Security.Cryptography;
using System.Text;

namespace Bff.Testing;

/// <summary>PKCE values (RFC 7636) and the other random strings of an authorization request.</summary>
public static class Pkce
{
    /// <summary>A random code verifier (43 characters).</summary>
    public static string CreateVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 challenge of a verifier.</summary>
    public static string S256(string verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }

    /// <summary>A random state or nonce.</summary>
    public static string RandomString() => Base64Url(RandomNumberGenerator.GetBytes(16));

    /// <summary>Base64url without padding.</summary>
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
