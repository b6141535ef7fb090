using System.Security.Cryptography;
using System.Text.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Bff.Configuration;
using LiteDB;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace Bff.Sessions;

/// <summary>
/// The default <see cref="IServerSessionStore"/>: one LiteDB collection, ticket and tokens encrypted
/// with Data Protection, indexed by key, subject and provider session id.
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

    public LiteDbServerSessionStore(BffDatabase database, IDataProtectionProvider dataProtection, TimeProvider time, ILogger<LiteDbServerSessionStore> logger)
    {
        _sessions = database.Database.GetCollection<SessionDocument>(CollectionName);
        _sessions.EnsureIndex(s => s.Subject);
        _sessions.EnsureIndex(s => s.SessionId);
        _sessions.EnsureIndex(s => s.IdleExpires);
        _sessions.EnsureIndex(s => s.Expires);
        _ticketProtector = dataProtection.CreateProtector("Bff.Sessions.Ticket.v1");
        _tokenProtector = dataProtection.CreateProtector("Bff.Sessions.Tokens.v1");
        _time = time;
        _logger = logger;
    }

    public Task<ServerSession?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var document = _sessions.FindById(key);
        return Task.FromResult(document is null || IsExpired(document) ? null : Read(document));
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
            return Task.FromResult(_sessions.Update(document));
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
            return _sessions.DeleteMany(Query.Or(Query.LTE(nameof(SessionDocument.IdleExpires), now), Query.LTE(nameof(SessionDocument.Expires), now)));
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

    private byte[]? ProtectTokens(SessionTokens? tokens) =>
        tokens is null ? null : _tokenProtector.Protect(JsonSerializer.SerializeToUtf8Bytes(tokens));

    private ServerSession? Read(SessionDocument document)
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
                Tokens = document.Tokens is null ? null : JsonSerializer.Deserialize<SessionTokens>(_tokenProtector.Unprotect(document.Tokens)),
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
