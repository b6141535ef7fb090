using LiteDB;

namespace Bff.Sessions.Internal;

/// <summary>
/// A session as stored in LiteDB. <see cref="Ticket"/>, <see cref="Details"/> and <see cref="Tokens"/>
/// are Data Protection payloads and the index fields are hashes: a copy of the database file alone
/// reveals no principal, no claim and no token.
/// </summary>
internal sealed class SessionDocument
{
    [BsonId]
    public string Key { get; set; } = "";

    public string? SubjectIndex { get; set; }

    public string? SessionIdIndex { get; set; }

    public byte[] Ticket { get; set; } = [];

    public byte[] Details { get; set; } = [];

    public byte[]? Tokens { get; set; }

    public DateTime Created { get; set; }

    public DateTime LastSeen { get; set; }

    /// <summary>The absolute expiry.</summary>
    public DateTime Expires { get; set; }

    /// <summary>The idle expiry: the ticket's own expiry, moved on by sliding renewal.</summary>
    public DateTime IdleExpires { get; set; }

    public long Version { get; set; }
}
