using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

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
    private const string Prefix = "bff-session-index:";

    // The last key hashed on this thread. One request asks for the hash of the same key object more
    // than once (the cookie handler's read of the session, then the token service's), mostly on one
    // thread, and the cookie format hands every request of a browser the same key object: so most
    // calls are answered here. Compared by reference: an equal key in another object is hashed anew.
    // It keeps one session key per thread alive a little longer, a key the session cache holds anyway.
    [ThreadStatic]
    private static string? t_lastKey;

    [ThreadStatic]
    private static string? t_lastKeyHash;

    /// <summary>What a storage knows a session by: a hash of its key, which cannot be presented as one.</summary>
    public static string Key(string sessionKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        if (ReferenceEquals(sessionKey, t_lastKey) && t_lastKeyHash is { } known)
        {
            return known;
        }

        var hash = Hash("key", sessionKey)!;
        t_lastKeyHash = hash;
        t_lastKey = sessionKey;
        return hash;
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

        // The kind is part of the input, so a subject never matches a sid of the same text. Encoded
        // into one buffer (on the stack for the usual sizes), so that the hash costs one string.
        var length = Prefix.Length + kind.Length + 1 + Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> input = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(Prefix, input);
            written += Encoding.UTF8.GetBytes(kind, input[written..]);
            input[written++] = (byte)':';
            written += Encoding.UTF8.GetBytes(value, input[written..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(input[..written], hash);
            return Base64Url.EncodeToString(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
