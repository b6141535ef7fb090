using LiteDB;

namespace Bff.Sessions.Internal;

/// <summary>
/// The default <see cref="ISessionStorage"/>: one LiteDB collection in the BFF's database, indexed by
/// key, subject hash, sid hash and both expiries. One process owns the file (LiteDB's direct mode),
/// so a lock per write is all the atomicity the contract needs.
/// </summary>
internal sealed class LiteDbSessionStorage : ISessionStorage, ISessionStorageCleanup
{
    internal const string CollectionName = "sessions";

    // Read-modify-write operations (token update, renewal, save) must not interleave: LiteDB is
    // thread-safe per operation only, and a lost token update would replay a rotated refresh token.
    private readonly Lock _gate = new();
    private readonly ILiteCollection<SessionDocument> _sessions;
    private readonly TimeProvider _time;

    public LiteDbSessionStorage(BffDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        _sessions = database.Database.GetCollection<SessionDocument>(CollectionName);
        _sessions.EnsureIndex(s => s.SubjectIndex);
        _sessions.EnsureIndex(s => s.SessionIdIndex);
        _sessions.EnsureIndex(s => s.IdleExpires);
        _sessions.EnsureIndex(s => s.Expires);
        _time = time;
    }

    public Task<StoredSession?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var document = _sessions.FindById(key);
        return Task.FromResult(document is null || IsExpired(document) ? null : ToStored(document));
    }

    public Task<long> SaveAsync(StoredSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var document = new SessionDocument
        {
            Key = session.Key,
            SubjectIndex = session.SubjectIndex,
            SessionIdIndex = session.SessionIdIndex,
            Ticket = session.Ticket,
            Details = session.Details,
            Tokens = session.Tokens,
            Created = session.Created.UtcDateTime,
            LastSeen = session.LastSeen.UtcDateTime,
            Expires = session.Expires.UtcDateTime,
            IdleExpires = (session.IdleExpires < session.Expires ? session.IdleExpires : session.Expires).UtcDateTime,
        };
        lock (_gate)
        {
            // The version goes on even over an expired session: a reader holding its number must fail.
            document.Version = (_sessions.FindById(session.Key)?.Version ?? 0) + 1;
            _sessions.Upsert(document);
            return Task.FromResult(document.Version);
        }
    }

    public Task<bool> UpdateTokensAsync(string key, byte[] protectedTokens, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(protectedTokens);
        lock (_gate)
        {
            var document = _sessions.FindById(key);
            if (document is null || IsExpired(document) || (expectedVersion is { } expected && document.Version != expected))
            {
                return Task.FromResult(false);
            }

            document.Tokens = protectedTokens;
            document.Version++;
            return Task.FromResult(_sessions.Update(document));
        }
    }

    public Task<bool> RenewAsync(string key, byte[] protectedTicket, DateTimeOffset lastSeen, DateTimeOffset idleExpires, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(protectedTicket);
        lock (_gate)
        {
            var document = _sessions.FindById(key);
            if (document is null || IsExpired(document))
            {
                return Task.FromResult(false);
            }

            var expires = document.Expires.ToUniversalTime();
            document.Ticket = protectedTicket;
            document.LastSeen = lastSeen.UtcDateTime;
            document.IdleExpires = idleExpires.UtcDateTime < expires ? idleExpires.UtcDateTime : expires;
            return Task.FromResult(_sessions.Update(document));
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            return Task.FromResult(_sessions.Delete(key));
        }
    }

    public Task<IReadOnlyList<StoredSession>> FindAsync(StoredSessionFilter filter, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredSession>>([.. _sessions.Find(ToQuery(filter)).Where(d => !IsExpired(d)).Select(ToStored)]);

    public Task<IReadOnlyList<StoredSession>> DeleteAsync(StoredSessionFilter filter, CancellationToken cancellationToken = default)
    {
        var query = ToQuery(filter);
        lock (_gate)
        {
            var documents = _sessions.Find(query).ToList();
            foreach (var document in documents)
            {
                _sessions.Delete(document.Key);
            }

            return Task.FromResult<IReadOnlyList<StoredSession>>([.. documents.Where(d => !IsExpired(d)).Select(ToStored)]);
        }
    }

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            // Note: two index range deletes, not one OR query. LiteDB answers an OR by reading the
            // whole collection, and it keeps every page it reads in memory until the file is closed:
            // with 10,000 sessions that one sweep at start-up cost about 77 MB of resident memory.
            return Task.FromResult(
                _sessions.DeleteMany(Query.LTE(nameof(SessionDocument.IdleExpires), now))
                + _sessions.DeleteMany(Query.LTE(nameof(SessionDocument.Expires), now)));
        }
    }

    private static BsonExpression ToQuery(StoredSessionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.SubjectIndex is null && filter.SessionIdIndex is null)
        {
            throw new ArgumentException("A session filter needs a subject or a session id.", nameof(filter));
        }

        // Note: LiteDB cannot translate lambdas that build strings, so the query is built from values.
        var parts = new List<BsonExpression>();
        if (filter.SubjectIndex is { } subject)
        {
            parts.Add(Query.EQ(nameof(SessionDocument.SubjectIndex), subject));
        }

        if (filter.SessionIdIndex is { } sessionId)
        {
            parts.Add(Query.EQ(nameof(SessionDocument.SessionIdIndex), sessionId));
        }

        return parts.Count == 1 ? parts[0] : Query.And([.. parts]);
    }

    private bool IsExpired(SessionDocument document)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return document.Expires.ToUniversalTime() <= now || document.IdleExpires.ToUniversalTime() <= now;
    }

    private static StoredSession ToStored(SessionDocument document) => new()
    {
        Key = document.Key,
        SubjectIndex = document.SubjectIndex,
        SessionIdIndex = document.SessionIdIndex,
        Ticket = document.Ticket,
        Details = document.Details,
        Tokens = document.Tokens,
        Created = Utc(document.Created),
        LastSeen = Utc(document.LastSeen),
        Expires = Utc(document.Expires),
        IdleExpires = Utc(document.IdleExpires),
        Version = document.Version,
    };

    // LiteDB hands dates back in local time; the storage speaks UTC.
    private static DateTimeOffset Utc(DateTime value) => new(value.ToUniversalTime(), TimeSpan.Zero);
}
