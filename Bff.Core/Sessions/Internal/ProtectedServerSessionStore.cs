using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>
/// The one <see cref="IServerSessionStore"/> (and <see cref="IInternalSessionStore"/>): protects ticket, tokens and details with Data
/// Protection before the <see cref="ISessionStorage"/> sees them, hashes the session key and the index
/// values (<see cref="SessionIndex"/>: a storage knows a session by its key's hash only), and keeps
/// recently read sessions in memory (<see cref="SessionMemoryCache"/>, <c>Bff:Session:CacheSize</c>),
/// so that an active browser's requests skip the storage read and the ticket's decryption.
/// </summary>
/// <remarks>
/// Important: the cache is coherent because every write in this process goes through here and
/// invalidates after the storage write, and a shared storage (<see cref="ISessionStorageNotifications"/>)
/// reports the writes of other instances; an entry then lives at most <c>Bff:Session:SharedCacheLifetime</c>
/// in case a notice was lost.
/// </remarks>
internal sealed class ProtectedServerSessionStore : IInternalSessionStore
{
    private readonly ISessionStorage _storage;
    private readonly SessionPayloadProtector _protector;
    private readonly TimeProvider _time;
    private readonly SessionMemoryCache _cache;

    public ProtectedServerSessionStore(ISessionStorage storage, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<SessionSettings> options, ILogger<ProtectedServerSessionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _protector = new SessionPayloadProtector(dataProtection, logger);
        _time = time;
        var shared = storage as ISessionStorageNotifications;
        _cache = new SessionMemoryCache(options.Value.Session.CacheSize, time, shared is null ? null : options.Value.Session.SharedCacheLifetime);

        // Another instance's write arrives as a notice after it happened: dropping the entry then is
        // enough, and counts as a write, so a read that began before it is not kept either. Notices
        // name the storage's key (the hash), which is also what the cache is keyed by.
        shared?.Subscribe(storageKey =>
        {
            if (storageKey is null)
            {
                _cache.InvalidateAll();
            }
            else
            {
                _cache.Invalidate(storageKey);
            }
        });
    }

    /// <summary>How many sessions are held in memory, for tests.</summary>
    internal int CachedCount => _cache.Count;

    /// <summary>In which forms a cached session's tokens are held in memory (protected bytes, unprotected), for tests; <see langword="null"/> when not cached.</summary>
    internal (bool Protected, bool Unprotected)? CachedTokenForms(string key) =>
        _cache.TryGet(SessionIndex.Key(key), out var entry) ? (entry.ProtectedTokens is not null, entry.Tokens is not null) : null;

    public Task<ServerSession?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        GetAsync(key, includeTokens: true, cancellationToken);

    public Task<ServerSession?> GetAsync(string key, bool includeTokens, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var storageKey = SessionIndex.Key(key);
        if (_cache.TryGet(storageKey, out var cached))
        {
            if (IsExpired(cached.Session))
            {
                // Past its expiry as cached; the storage may hold a renewal made elsewhere.
                _cache.Forget(storageKey);
            }
            else if (!includeTokens)
            {
                // The entry's own completed task: the read of every authenticated request allocates nothing here.
                return cached.SessionTask;
            }
            else if (WithTokens(cached) is var withTokens && (withTokens is not null || cached.HoldsTokens))
            {
                return Task.FromResult(withTokens);
            }

            // Otherwise kept without its tokens (GetTokenStateAsync): a caller that needs them reads them.
        }

        return ReadStorageAsync(storageKey, includeTokens, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<SessionTokensRead> GetTokensAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_cache.TryGet(SessionIndex.Key(key), out var cached) && !IsExpired(cached.Session) && cached.Tokens is { } tokens)
        {
            return ValueTask.FromResult(new SessionTokensRead(Found: true, tokens, Cached: true));
        }

        // Not in memory, expired as cached, without tokens, or tokens still protected: the full read
        // decides, and keeps what it read for the next call.
        return ReadTokensAsync(key, cancellationToken);
    }

    /// <summary>The tokens as the full read finds them: in a copy of the session, never the cached object.</summary>
    private async ValueTask<SessionTokensRead> ReadTokensAsync(string key, CancellationToken cancellationToken) =>
        await GetAsync(key, includeTokens: true, cancellationToken).ConfigureAwait(false) is { } session
            ? new SessionTokensRead(Found: true, session.Tokens, Cached: false)
            : default;

    public Task<ServerSession?> GetFreshAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ReadStorageAsync(SessionIndex.Key(key), includeTokens: true, cancellationToken);
    }

    /// <summary>Reads the storage and keeps the result in memory unless a write happened meanwhile.</summary>
    private async Task<ServerSession?> ReadStorageAsync(string storageKey, bool includeTokens, CancellationToken cancellationToken) =>
        await ReadEntryAsync(storageKey, cancellationToken).ConfigureAwait(false) is not { } read
            ? null
            : includeTokens ? WithTokens(read.Entry, read.StoredTokens) : read.Entry.Session;

    /// <summary>
    /// The session as the storage holds it, kept in memory unless a write happened meanwhile, with the
    /// protected tokens just read; <see langword="null"/> when it is unknown, expired or unreadable.
    /// </summary>
    private async Task<(SessionMemoryCache.Entry Entry, byte[]? StoredTokens)?> ReadEntryAsync(string storageKey, CancellationToken cancellationToken)
    {
        var stamp = _cache.Stamp;
        var stored = await _storage.GetAsync(storageKey, cancellationToken).ConfigureAwait(false);
        if (stored is null || IsExpired(stored.Expires, stored.IdleExpires) || _protector.Unprotect(stored) is not { } session)
        {
            return null;
        }

        return (_cache.Add(storageKey, session, stored.Tokens, stamp), stored.Tokens);
    }

    public async Task SaveAsync(ServerSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var idleExpires = session.IdleExpires ?? session.Expires;
        var stored = new StoredSession
        {
            Key = SessionIndex.Key(session.Key),
            SubjectIndex = SessionIndex.Subject(session.Subject),
            SessionIdIndex = SessionIndex.SessionId(session.SessionId),
            Ticket = _protector.ProtectTicket(session.Ticket),
            Details = _protector.ProtectDetails(session),
            Tokens = _protector.ProtectTokens(session.Tokens),
            Created = session.Created,
            LastSeen = session.LastSeen,
            Expires = session.Expires,
            IdleExpires = idleExpires < session.Expires ? idleExpires : session.Expires,
        };
        await _storage.SaveAsync(stored, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(stored.Key);
    }

    public Task<bool> UpdateTokensAsync(string key, SessionTokens tokens, CancellationToken cancellationToken = default) =>
        WriteTokensAsync(key, null, tokens, cancellationToken);

    public Task<bool> CompareAndSetTokensAsync(string key, long expectedVersion, SessionTokens tokens, CancellationToken cancellationToken = default) =>
        WriteTokensAsync(key, expectedVersion, tokens, cancellationToken);

    private async Task<bool> WriteTokensAsync(string key, long? expectedVersion, SessionTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(tokens);
        var storageKey = SessionIndex.Key(key);
        try
        {
            return await _storage.UpdateTokensAsync(storageKey, _protector.ProtectTokens(tokens)!, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when the write failed half-way: the next read must come from the storage.
            _cache.Invalidate(storageKey);
        }
    }

    public async Task<bool> RenewAsync(string key, byte[] ticket, DateTimeOffset lastSeen, DateTimeOffset? idleExpires, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(ticket);
        var storageKey = SessionIndex.Key(key);
        try
        {
            // Without an idle expiry only the absolute one applies; the storage caps at it.
            return await _storage.RenewAsync(storageKey, _protector.ProtectTicket(ticket), lastSeen, idleExpires ?? DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cache.Invalidate(storageKey);
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var storageKey = SessionIndex.Key(key);
        try
        {
            return await _storage.DeleteAsync(storageKey, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cache.Invalidate(storageKey);
        }
    }

    public async Task<IReadOnlyList<ServerSession>> FindAsync(SessionFilter filter, CancellationToken cancellationToken = default)
    {
        var stored = await _storage.FindAsync(SessionIndex.Filter(filter), cancellationToken).ConfigureAwait(false);
        return ReadAll(stored, filter);
    }

    public async Task<IReadOnlyList<ServerSession>> DeleteAsync(SessionFilter filter, CancellationToken cancellationToken = default)
    {
        var index = SessionIndex.Filter(filter);
        var deleted = await _storage.DeleteAsync(index, cancellationToken).ConfigureAwait(false);
        foreach (var session in deleted)
        {
            _cache.Invalidate(session.Key);
        }

        return ReadAll(deleted, filter);
    }

    /// <summary>Drops the cached sessions that have expired, to free their memory.</summary>
    internal void ForgetExpired() => _cache.ForgetWhere(IsExpired);

    private List<ServerSession> ReadAll(IReadOnlyList<StoredSession> stored, SessionFilter filter)
    {
        var sessions = new List<ServerSession>(stored.Count);
        foreach (var item in stored)
        {
            // The details must agree with the filter: a hash match alone is not trusted.
            if (_protector.Unprotect(item) is { } session
                && (filter.Subject is null || string.Equals(session.Subject, filter.Subject, StringComparison.Ordinal))
                && (filter.SessionId is null || string.Equals(session.SessionId, filter.SessionId, StringComparison.Ordinal))
                && _protector.WithTokens(session, item.Tokens) is { } withTokens)
            {
                sessions.Add(withTokens);
            }
        }

        return sessions;
    }

    private bool IsExpired(ServerSession session) => IsExpired(session.Expires, session.IdleExpires);

    private bool IsExpired(DateTimeOffset expires, DateTimeOffset? idleExpires)
    {
        var now = _time.GetUtcNow();
        return expires <= now || idleExpires <= now;
    }

    /// <summary>The cached session with its tokens, unprotected once per cache entry.</summary>
    /// <remarks>
    /// <paramref name="read"/>: the protected bytes just read from the storage, used if the entry dropped
    /// its own meanwhile (see <see cref="SessionMemoryCache.Entry.KeepStateOnly"/>).
    /// </remarks>
    private ServerSession? WithTokens(SessionMemoryCache.Entry entry, byte[]? read = null)
    {
        if (!entry.HasTokens)
        {
            return entry.Session;
        }

        if (entry.Tokens is { } tokens)
        {
            return entry.Session with { Tokens = tokens };
        }

        if ((entry.ProtectedTokens ?? read) is { } protectedTokens && _protector.WithTokens(entry.Session, protectedTokens) is { Tokens: { } unprotected } session)
        {
            entry.Unprotected(unprotected);
            return session;
        }

        // Unreadable tokens, or another reader unprotected them in between.
        return entry.Tokens is { } theirs ? entry.Session with { Tokens = theirs } : null;
    }

    /// <inheritdoc/>
    public async Task<SessionTokenState?> GetTokenStateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var storageKey = SessionIndex.Key(key);
        if (!_cache.TryGet(storageKey, out var entry) || IsExpired(entry.Session))
        {
            if (await ReadEntryAsync(storageKey, cancellationToken).ConfigureAwait(false) is not { } fromStorage)
            {
                return null;
            }

            entry = fromStorage.Entry;
        }

        if (!entry.HasTokens)
        {
            return default(SessionTokenState);
        }

        if (entry.Tokens is { } tokens)
        {
            return SessionTokenState.Of(tokens);
        }

        if (entry.TokenState is { } known)
        {
            return known;
        }

        if (entry.ProtectedTokens is not { } protectedTokens || _protector.WithTokens(entry.Session, protectedTokens) is not { } read)
        {
            return entry.Tokens is { } theirs ? SessionTokenState.Of(theirs) : null;
        }

        var state = SessionTokenState.Of(read.Tokens);
        entry.KeepStateOnly(state, protectedTokens);
        return state;
    }
}
