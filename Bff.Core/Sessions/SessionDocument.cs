using LiteDB;

namespace Bff.Sessions;

/// <summary>
/// A session as stored in LiteDB. <see cref="Ticket"/> and <see cref="Tokens"/> are Data Protection
/// payloads: a copy of the database file alone reveals no principal and no token.
/// </summary>
internal sealed class SessionDocument
{
    [BsonId]
    public string Key { get; set; } = "";

    public string? Subject { get; set; }

    public string? SessionId { get; set; }

    public string? Issuer { get; set; }

    public byte[] Ticket { get; set; } = [];

    public byte[]? Tokens { get; set; }

    public DateTime Created { get; set; }

    public DateTime LastSeen { get; set; }

    /// <summary>The absolute expiry.</summary>
    public DateTime Expires { get; set; }

    /// <summary>The idle expiry: the ticket's own expiry, moved on by sliding renewal.</summary>
    public DateTime IdleExpires { get; set; }

    public string? UserAgent { get; set; }

    public string? IpAddress { get; set; }
}
