using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Sessions.Internal;

/// <summary>
/// The index values a <see cref="ISessionStorage"/> finds sessions by: SHA-256 hashes of the subject
/// and of the provider session id, so that no storage (and no key name in Redis) holds a claim value.
/// </summary>
/// <remarks>
/// Note: an unkeyed hash hides the value, not the link: someone who already knows a subject can find
/// its sessions' records, and still reads nothing from them (everything else is protected). A keyed
/// hash would need a secret shared by every instance outside Data Protection, which has none to give.
/// </remarks>
internal static class SessionIndex
{
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
