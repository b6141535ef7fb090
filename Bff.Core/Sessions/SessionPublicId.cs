using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Sessions;

/// <summary>
/// The public id of a session: SHA-256 of the session key, base64url. Important: the session key is
/// what the cookie carries, a bearer credential; it is never shown, not even to its owner, and the
/// one-way hash of a 256-bit random key cannot be turned back into it.
/// </summary>
public static class SessionPublicId
{
    /// <summary>The public id of a session key.</summary>
    /// <param name="sessionKey">The session key.</param>
    public static string Of(string sessionKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        return WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(sessionKey)));
    }

    /// <summary>Compares a public id with a session's, in constant time.</summary>
    /// <param name="sessionKey">The session key.</param>
    /// <param name="publicId">The public id given by a caller.</param>
    public static bool Matches(string sessionKey, string? publicId) =>
        !string.IsNullOrEmpty(publicId) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Of(sessionKey)), Encoding.UTF8.GetBytes(publicId));
}
