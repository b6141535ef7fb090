using System.Security.Cryptography;
using System.Text.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Bff.Configuration;
using LiteDB;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Sessions;

/// <summary>
/// The default <see cref="IServerSessionStore"/>: one LiteDB collection, ticket and tokens encrypted
/// with Data Protection, indexed by key, subject and provider session id. Recently read sessions are
/// kept in memory (<see cref="SessionMemoryCache"/>, <c>Bff:Session:CacheSize</c>), so that an active
/// browser's requests skip the database read and the ticket's decryption.
/// </summary>
internal sealed class LiteDbServerSessionStore : IServerSessionStore
{
    internal const string CollectionName = "sessions";

    // Read-modify-write operations (token update, renewal) must not interleave: LiteDB is
    // thread-safe per operation only, and a lost token update would replay a rotated refresh token.
    private readonly Lock _gate = new();
    private readonly ILiteCollection<SessionDocument> _sessions;
    private readonly IDataProtector _ticketProtector;
    private readonly IDataProtector _tokenProtector;
    private readonly TimeProvider _time;
    private readonly ILogger<LiteDbServerSessionStore> _logger;
    private readonly SessionMemoryCache _cache;

    public LiteDbServerSessionStore(BffDatabase database, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<BffOptions> options, ILogger<LiteDbServerSessionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sessions = database.Database.GetCollection<SessionDocument>(CollectionName);
        _sessions.EnsureIndex(s => s.Subject);
        _sessions.EnsureIndex(s => s.SessionId);
        _sessions.EnsureIndex(s => s.IdleExpires);
        _sessions.EnsureIndex(s => s.Expires);
        _ticketProtector = dataProtection.CreateProtector("Bff.Sessions.Ticket.v1");
        _tokenProtector = dataProtection.CreateProtector("Bff.Sessions.Tokens.v1");
        _time = time;
        _logger = logger;
        _cache = new SessionMemoryCache(options.Value.Session.CacheSize, time);
    }

    /// <summary>How many sessions are held in memory, for tests.</summary>
    internal int CachedCount => _cache.Count;

    public Task<ServerSession?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(Get(key, includeTokens: true));

    public Task<ServerSession?> GetAsync(string key, bool includeTokens, CancellationToken cancellationToken = default) =>
        Task.FromResult(Get(key, includeTokens));

    private ServerSession? Get(string key, bool includeTokens)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_cache.TryGet(key, out var cached))
        {
            if (IsExpired(cached.Session.Expires, cached.Session.IdleExpires))
            {
                _cache.Forget(key);
                return null;
            }

            if (!includeTokens || cached.ProtectedTokens is null)
            {
                return cached.Session;
            }

            if (cached.Tokens is null && WithTokens(cached.Session, cached.ProtectedTokens) is { } read)
            {
                cached.Tokens = read.Tokens;
            }

            return cached.Tokens is null ? null : cached.Session with { Tokens = cached.Tokens };
        }

        var stamp = _cache.Stamp;
        var document = _sessions.FindById(key);
        if (document is null || IsExpired(document) || ReadWithoutTokens(document) is not { } session)
        {
            return null;
        }

        _cache.Add(key, session, document.Tokens, stamp);
        return includeTokens ? WithTokens(session, document.Tokens) : session;
    }

    public Task SaveAsync(ServerSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var document = new SessionDocument
        {
            Key = session.Key,
            Subject = session.Subject,
            SessionId = session.SessionId,
            Issuer = session.Issuer,
            Ticket = _ticketProtector.Protect(session.Ticket),
            Tokens = ProtectTokens(session.Tokens),
            Created = session.Created.UtcDateTime,
            LastSeen = session.LastSeen.UtcDateTime,
            Expires = session.Expires.UtcDateTime,
            IdleExpires = (session.IdleExpires ?? session.Expires).UtcDateTime,
            UserAgent = session.UserAgent,
            IpAddress = session.IpAddress,
        };
        lock (_gate)
        {
            _sessions.Upsert(document);
            _cache.Invalidate(session.Key);
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateTokensAsync(string key, SessionTokens tokens, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(tokens);
        var protectedTokens = ProtectTokens(tokens);
        lock (_gate)
        {
            var document = _sessions.FindById(key);
            if (document is null || IsExpired(document))
            {
                return Task.FromResult(false);
            }

            document.Tokens = protectedTokens;
            var updated = _sessions.Update(document);
            _cache.Invalidate(key);
            return Task.FromResult(updated);
        }
    }

    public Task<bool> RenewAsync(string key, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset? idleExpires, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(ticket);
        var protectedTicket = _ticketProtector.Protect(ticket);
        lock (_gate)
        {
            var document = _sessions.FindById(key);
            if (document is null || IsExpired(document))
            {
                return Task.FromResult(false);
            }

            document.Ticket = protectedTicket;
            document.LastSeen = lastSeen.UtcDateTime;
            var idle = (idleExpires ?? document.Expires).UtcDateTime;
            document.IdleExpires = idle < document.Expires.ToUniversalTime() ? idle : document.Expires.ToUniversalTime();
            var updated = _sessions.Update(document);
            _cache.Invalidate(key);
            return Task.FromResult(updated);
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            var deleted = _sessions.Delete(key);
            _cache.Invalidate(key);
            return Task.FromResult(deleted);
        }
    }

    public Task<IReadOnlyList<ServerSession>> FindAsync(SessionFilter filter, CancellationToken cancellationToken = default)
    {
        var sessions = _sessions.Find(ToQuery(filter)).Where(d => !IsExpired(d)).Select(Read).OfType<ServerSession>().ToList();
        return Task.FromResult<IReadOnlyList<ServerSession>>(sessions);
    }

    public Task<IReadOnlyList<ServerSession>> DeleteAsync(SessionFilter filter, CancellationToken cancellationToken = default)
    {
        var query = ToQuery(filter);
        lock (_gate)
        {
            var documents = _sessions.Find(query).ToList();
            foreach (var document in documents)
            {
                _sessions.Delete(document.Key);
                _cache.Invalidate(document.Key);
            }

            return Task.FromResult<IReadOnlyList<ServerSession>>([.. documents.Select(Read).OfType<ServerSession>()]);
        }
    }

    /// <summary>Deletes every session past its idle or absolute expiry; returns how many.</summary>
    public int DeleteExpired()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            // The cache needs no invalidation here: an expired session never comes back to life (only
            // RenewAsync moves an expiry, and it refuses expired sessions), and hits check expiry.
            _cache.ForgetWhere(s => IsExpired(s.Expires, s.IdleExpires));

            // Note: two index range deletes, not one OR query. LiteDB answers an OR by reading the
            // whole collection, and it keeps every page it reads in memory until the file is closed:
            // with 10,000 sessions that one sweep at start-up cost about 77 MB of resident memory.
            return _sessions.DeleteMany(Query.LTE(nameof(SessionDocument.IdleExpires), now))
                + _sessions.DeleteMany(Query.LTE(nameof(SessionDocument.Expires), now));
        }
    }

    private static BsonExpression ToQuery(SessionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Subject is null && filter.SessionId is null)
        {
            throw new ArgumentException("A session filter needs a subject or a session id.", nameof(filter));
        }

        // Note: LiteDB cannot translate lambdas that build strings, so the query is built from values.
        var parts = new List<BsonExpression>();
        if (filter.Subject is { } subject)
        {
            parts.Add(Query.EQ(nameof(SessionDocument.Subject), subject));
        }

        if (filter.SessionId is { } sessionId)
        {
            parts.Add(Query.EQ(nameof(SessionDocument.SessionId), sessionId));
        }

        return parts.Count == 1 ? parts[0] : Query.And([.. parts]);
    }

    private bool IsExpired(SessionDocument document)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return document.Expires.ToUniversalTime() <= now || document.IdleExpires.ToUniversalTime() <= now;
    }

    private bool IsExpired(DateTimeOffset expires, DateTimeOffset? idleExpires)
    {
        var now = _time.GetUtcNow();
        return expires <= now || idleExpires <= now;
    }

    private byte[]? ProtectTokens(SessionTokens? tokens) =>
        tokens is null ? null : _tokenProtector.Protect(JsonSerializer.SerializeToUtf8Bytes(tokens));

    private ServerSession? Read(SessionDocument document) =>
        ReadWithoutTokens(document) is { } session ? WithTokens(session, document.Tokens) : null;

    /// <summary>The session with its tokens unprotected, or <see langword="null"/> when they cannot be read.</summary>
    private ServerSession? WithTokens(ServerSession session, byte[]? protectedTokens)
    {
        if (protectedTokens is null)
        {
            return session;
        }

        try
        {
            return session with { Tokens = JsonSerializer.Deserialize<SessionTokens>(_tokenProtector.Unprotect(protectedTokens)) };
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            _logger.SessionUnreadable(ex);
            return null;
        }
    }

    /// <remarks>
    /// Note: the returned session may be shared through the cache; its <see cref="ServerSession.Ticket"/>
    /// bytes are read, never changed, by the BFF.
    /// </remarks>
    private ServerSession? ReadWithoutTokens(SessionDocument document)
    {
        try
        {
            return new ServerSession
            {
                Key = document.Key,
                Subject = document.Subject,
                SessionId = document.SessionId,
                Issuer = document.Issuer,
                Ticket = _ticketProtector.Unprotect(document.Ticket),
                Created = Utc(document.Created),
                LastSeen = Utc(document.LastSeen),
                Expires = Utc(document.Expires),
                IdleExpires = Utc(document.IdleExpires),
                UserAgent = document.UserAgent,
                IpAddress = document.IpAddress,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            _logger.SessionUnreadable(ex);
            return null;
        }
    }

    // LiteDB hands dates back in local time; the store speaks UTC.
    private static DateTimeOffset Utc(DateTime value) => new(value.ToUniversalTime(), TimeSpan.Zero);
}
