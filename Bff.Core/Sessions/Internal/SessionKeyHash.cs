using System.Security.Cryptography;
using System.Text;

namespace Bff.Sessions.Internal;

/// <summary>
/// A short, one-way label for a session key in logs. Important: the session key is what the
/// cookie carries, a bearer credential in its own right, so it is never logged as is.
/// </summary>
internal static class SessionKeyHash
{
    public static string Of(string sessionKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionKey)).AsSpan(0, 6));
}
