using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Sessions.Internal;

/// <summary>
/// The values a <see cref="ISessionStorage"/> finds sessions by: SHA-256 hashes of the session key, of
/// the subject and of the provider session id, so that no storage (no record id, no key name, index
/// member or notice in Redis) holds a session key or a claim value.
/// </summary>
/// <remarks>
/// <para>
/// Important: the session key is a bearer secret. The cookie wraps it in Data Protection, but whoever
/// can read Redis key names (<c>MONITOR</c>, <c>SCAN</c>, the slow log, a key-space metric or a
/// backup's listing) can often read the key ring beside them too, and then needs nothing but the key
/// to mint a working cookie. So every storage sees <see cref="Key"/> of it, never the key itself.
/// </para>
/// <para>
/// An unkeyed hash is enough for the session key: it is 256 random bits, so it cannot be guessed or
/// looked up in a table, and SHA-256 cannot be inverted; a keyed hash (HMAC) would add nothing but a
/// secret that every instance must share outside Data Protection. The same hash is not enough to
/// hide a subject or a sid, which are not random: it hides the value, not the link, so someone who
/// already knows a subject can find its sessions' records, and still reads nothing from them
/// (everything else is protected); a keyed hash there would again need that shared secret.
/// </para>
/// </remarks>
internal static class SessionIndex
{
    /// <summary>What a storage knows a session by: a hash of its key, which cannot be presented as one.</summary>
    public static string Key(string sessionKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        return Hash("key", sessionKey)!;
    }

    public static string? Subject(string? subject) => Hash("sub", subject);

    public static string? SessionId(string? sessionId) => Hash("sid", sessionId);

    public static StoredSessionFilter Filter(SessionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Subject is null && filter.SessionId is null)
        {
            throw new ArgumentException("A session filter needs a subject or a session id.", nameof(filter));
        }

        return new StoredSessionFilter(Subject(filter.Subject), SessionId(filter.SessionId));
    }

    private static string? Hash(string kind, string? value)
    {
        if (value is null)
        {
            return null;
        }

        // The kind is part of the input, so a subject never matches a sid of the same text.
        var input = Encoding.UTF8.GetBytes("bff-session-index:" + kind + ":" + value);
        return WebEncoders.Base64UrlEncode(SHA256.HashData(input));
    }
}
