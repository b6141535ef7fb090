using System.Collections.Concurrent;

namespace Bff.Sessions.Internal;

/// <summary>
/// The session store's memory of recently read sessions, so that the requests of an active browser
/// do not each pay a storage read and a Data Protection unprotect of the ticket. Holds the session with
/// its ticket decrypted and its tokens still protected: tokens are unprotected only by the callers
/// that need them (the token service), and a memory dump holds no more plaintext tokens than before.
/// </summary>
/// <remarks>
/// <para>
/// Important: it is only coherent because every write to the storage in this process goes through
/// the one store, and writes made by other processes are reported to it as invalidations.
/// </para>
/// <para>
/// A read that raced with a write must never be kept, or a request could see the old refresh token
/// after a refresh and redeem it again (Keycloak's reuse detection would end the session). Writers
/// call <see cref="Invalidate"/> after their write; readers take a <see cref="Stamp"/> before their
/// read and add with <see cref="Add"/>, which refuses the entry if any write happened meanwhile.
/// Both take one lock, so once a writer's <see cref="Invalidate"/> has returned no older read can be
/// in the cache or get into it. Hits take no lock.
/// </para>
/// <para>
/// With a storage shared by several instances, an entry is also kept at most <c>maxAge</c>
/// (<c>Bff:Session:SharedCacheLifetime</c>): the bound on serving a session another instance changed
/// when its change notice was lost.
/// </para>
/// </remarks>
internal sealed class SessionMemoryCache(int capacity, TimeProvider time, TimeSpan? maxAge = null)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _writes;

    /// <summary>Whether the cache keeps anything (a capacity of 0 turns it off).</summary>
    public bool Enabled => capacity > 0;

    /// <summary>How many sessions are in memory.</summary>
    public int Count => _entries.Count;

    /// <summary>Taken before reading the storage; see <see cref="Add"/>.</summary>
    public long Stamp
    {
        get
        {
            lock (_gate)
            {
                return _writes;
            }
        }
    }

    /// <summary>The cached session, if any; refreshes its place among the recently used.</summary>
    public bool TryGet(string key, out Entry entry)
    {
        if (!Enabled || !_entries.TryGetValue(key, out entry!))
        {
            entry = null!;
            return false;
        }

        if (maxAge is { } age && time.GetElapsedTime(entry.Added) >= age)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            entry = null!;
            return false;
        }

        entry.LastUsed = time.GetTimestamp();
        return true;
    }

    /// <summary>
    /// Keeps a session read from the storage under <paramref name="stamp"/>, unless a write happened
    /// since (then the read may be older than the storage and is dropped). Returns the entry, kept or not.
    /// </summary>
    public Entry Add(string key, ServerSession withoutTokens, byte[]? protectedTokens, long stamp)
    {
        var now = time.GetTimestamp();
        var entry = new Entry(withoutTokens, protectedTokens) { LastUsed = now, Added = now };
        if (!Enabled)
        {
            return entry;
        }

        lock (_gate)
        {
            if (_writes != stamp)
            {
                return entry;
            }

            if (_entries.Count >= capacity)
            {
                Trim();
            }

            _entries[key] = entry;
        }

        return entry;
    }

    /// <summary>Forgets one session; call after the write to the database, never before.</summary>
    public void Invalidate(string key)
    {
        lock (_gate)
        {
            _writes++;
            _entries.TryRemove(key, out _);
        }
    }

    /// <summary>Forgets every session (notices of other instances' writes may have been lost); counts as a write.</summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            _writes++;
            _entries.Clear();
        }
    }

    /// <summary>Drops one entry without counting a write (for entries found expired).</summary>
    public void Forget(string key) => _entries.TryRemove(key, out _);

    /// <summary>Drops the entries whose session matches (for expired ones); not a write either.</summary>
    public void ForgetWhere(Func<ServerSession, bool> predicate)
    {
        foreach (var entry in _entries)
        {
            if (predicate(entry.Value.Session))
            {
                _entries.TryRemove(entry);
            }
        }
    }

    /// <summary>Drops the least recently used tenth once the cache is full. Called under the lock.</summary>
    private void Trim()
    {
        var keep = capacity - Math.Max(1, capacity / 10);
        foreach (var stale in _entries.OrderBy(e => e.Value.LastUsed).Take(_entries.Count - keep).ToList())
        {
            _entries.TryRemove(stale);
        }
    }

    /// <summary>
    /// One cached session: ticket decrypted, tokens as stored (protected) until a caller needed them
    /// unprotected, then unprotected only (the protected copy is dropped: one form in memory, not
    /// both). An entry is never changed after a write: writes replace or drop it, so the tokens always
    /// match what the storage held when it was read.
    /// </summary>
    internal sealed class Entry(ServerSession withoutTokens, byte[]? protectedTokens)
    {
        /// <summary>The protected bytes, or once unprotected the <see cref="SessionTokens"/>; one reference, so readers never see neither.</summary>
        private object? _tokens = protectedTokens;

        private Task<ServerSession?>? _sessionTask;

        public ServerSession Session { get; } = withoutTokens;

        /// <summary><see cref="Session"/> as a completed task, made by the first reader that needs it (a race only repeats the work).</summary>
        public Task<ServerSession?> SessionTask => _sessionTask ??= Task.FromResult<ServerSession?>(Session);

        /// <summary>Whether the session has tokens at all.</summary>
        public bool HasTokens { get; } = protectedTokens is not null;

        /// <summary>The tokens as stored, until <see cref="Unprotected"/> replaced them.</summary>
        public byte[]? ProtectedTokens => Volatile.Read(ref _tokens) as byte[];

        /// <summary>The tokens unprotected by the first reader that needed them (a race only repeats the work).</summary>
        public SessionTokens? Tokens => Volatile.Read(ref _tokens) as SessionTokens;

        /// <summary>
        /// What a caller that only asks whether the session can call APIs learnt, kept instead of the
        /// tokens themselves (see <see cref="ProtectedServerSessionStore.GetTokenStateAsync"/>).
        /// </summary>
        public SessionTokenState? TokenState { get; set; }

        public long LastUsed { get; set; }

        /// <summary>When it was read from the storage (a <see cref="TimeProvider"/> timestamp).</summary>
        public long Added { get; init; }

        /// <summary>Whether the entry holds the tokens in either form (not once <see cref="KeepStateOnly"/> dropped them).</summary>
        public bool HoldsTokens => Volatile.Read(ref _tokens) is not null;

        /// <summary>Keeps the unprotected tokens in place of the protected bytes.</summary>
        public void Unprotected(SessionTokens tokens) => Volatile.Write(ref _tokens, tokens);

        /// <summary>
        /// Keeps only <paramref name="state"/> and drops the protected bytes <paramref name="read"/> (unless a
        /// reader replaced them with the unprotected tokens meanwhile): they were most of a cached session's
        /// memory, for a session whose requests only ask whether it can call APIs. A caller that then needs
        /// the tokens reads the storage once.
        /// </summary>
        public void KeepStateOnly(SessionTokenState state, byte[] read)
        {
            TokenState = state;
            Interlocked.CompareExchange(ref _tokens, null, read);
        }
    }
}

/// <summary>What <c>/bff/user</c> needs to know of a session's tokens, without the tokens.</summary>
/// <param name="HasTokens">Whether the session holds tokens at all.</param>
/// <param name="AccessTokenExpiresAt">When its access token expires.</param>
/// <param name="HasRefreshToken">Whether it holds a refresh token.</param>
internal readonly record struct SessionTokenState(bool HasTokens, DateTimeOffset AccessTokenExpiresAt, bool HasRefreshToken)
{
    public static SessionTokenState Of(SessionTokens? tokens) =>
        tokens is null ? default : new(true, tokens.AccessTokenExpiresAt, !string.IsNullOrEmpty(tokens.RefreshToken));
}
