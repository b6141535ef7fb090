using System.Text.Json;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Tokens.Internal;

/// <summary>
/// Access tokens the BFF obtains for itself (client credentials) or for a downstream audience (token
/// exchange), kept in <see cref="HybridCache"/> until shortly before they expire: in this process,
/// and in Redis too when the sessions are there, so that instances share them. Fetched once per key
/// however many requests wait, in this process.
/// </summary>
/// <remarks>
/// Important: a cached token is protected with Data Protection before it reaches any cache, so Redis
/// never holds a token in clear text (the key ring is shared by the instances that share the cache).
/// A failure is never cached: the next request asks the identity provider again.
/// Note: HybridCache fixes an entry's lifetime before its factory runs, and a token's lifetime is
/// known only from the answer; so the fetch itself writes nothing to the shared store, and the
/// fetched token is then stored with its real lifetime. Each read checks the token's own expiry too.
/// </remarks>
internal sealed class CachedTokens(
    HybridCache cache,
    IDataProtectionProvider dataProtection,
    IOptionsMonitor<BffTokenOptions> options,
    TimeProvider time,
    ILogger<CachedTokens> logger)
{
    /// <summary>How long an entry read from the shared store stays in this process's memory at most.</summary>
    private static readonly TimeSpan LocalCopyLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The longest a token whose expiry is unknown (no <c>expires_in</c>, not a JWT) is kept.</summary>
    private static readonly TimeSpan LongestLifetime = TimeSpan.FromHours(1);

    private static readonly HybridCacheEntryOptions ReadOrFetch = new()
    {
        Expiration = LocalCopyLifetime,
        LocalCacheExpiration = LocalCopyLifetime,
        Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    private readonly IDataProtector protector = dataProtection.CreateProtector("Bff.Tokens.CachedTokens.v1");
    private readonly SingleFlight<string, UserTokenResult> flights = new(StringComparer.Ordinal);

    /// <summary>
    /// The cached token under <paramref name="key"/> while it is fresh, else a new one from
    /// <paramref name="fetch"/> (called once for all requests waiting on this key in this process).
    /// </summary>
    /// <param name="key">The cache key, naming what the token is for (never containing a token).</param>
    /// <param name="label">For logs: what the token is for, e.g. <c>client bff</c>.</param>
    /// <param name="fetch">Asks the token endpoint.</param>
    /// <param name="cancellationToken">Stops this caller's wait; a shared fetch goes on for the others.</param>
    /// <param name="sessionKey">The session the token belongs to, if any: its entry is removed when the session ends.</param>
    public Task<UserTokenResult> GetAsync(string key, string label, Func<CancellationToken, Task<TokenRefreshResult>> fetch, CancellationToken cancellationToken, string? sessionKey = null)
    {
        string[]? tags = sessionKey is null ? null : [SessionTag(SessionIndex.Key(sessionKey))];
        return flights.RunAsync(key, () => ReadOrFetchAsync(key, label, fetch, tags)).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The tag of every entry of the session with this storage hash (<see cref="SessionIndex.Key"/>):
    /// never the session key itself, which would be a working credential in Redis key names.
    /// </summary>
    public static string SessionTag(string indexKey) => "tokens:session:" + indexKey;

    /// <summary>Drops every token cached for the session with this storage hash, here and in the shared store.</summary>
    public ValueTask RemoveSessionAsync(string indexKey) => cache.RemoveByTagAsync(SessionTag(indexKey));

    private async Task<UserTokenResult> ReadOrFetchAsync(string key, string label, Func<CancellationToken, Task<TokenRefreshResult>> fetch, string[]? tags)
    {
        // Note: the shared fetch runs without any caller's cancellation, so a caller that goes away
        // does not fail the others.
        var attempt = new Attempt(this, label, fetch);
        try
        {
            string payload;
            try
            {
                payload = await cache.GetOrCreateAsync(key, attempt, static (a, ct) => a.FetchAsync(ct), ReadOrFetch, tags);
            }
            catch (Exception e) when (StorageOutage.Is(e) && !attempt.Fetched)
            {
                logger.TokenCacheStoreUnavailable(e.GetType().Name);
                payload = await attempt.FetchAsync(CancellationToken.None);
            }

            var entry = Read(payload);
            if (!attempt.Fetched && (entry is null || !Fresh(entry)))
            {
                // A stale copy (in this process, or left in the shared store): replaced, not served.
                payload = await attempt.FetchAsync(CancellationToken.None);
                entry = Read(payload);
            }

            if (entry is null)
            {
                return UserTokenResult.Failure(TokenErrorKind.Transient, "token_cache_unreadable");
            }

            if (attempt.Fetched)
            {
                await StoreAsync(key, payload, entry, tags);
            }

            return UserTokenResult.Success(entry.AccessToken, entry.ExpiresAt, entry.TokenType);
        }
        catch (InvalidOperationException) when (attempt.Failure is { } failure)
        {
            return failure;
        }
    }

    private async Task StoreAsync(string key, string payload, Entry entry, string[]? tags)
    {
        var lifetime = entry.ExpiresAt == DateTimeOffset.MaxValue ? LongestLifetime : entry.ExpiresAt - Skew(entry) - time.GetUtcNow();
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        lifetime = lifetime < LongestLifetime ? lifetime : LongestLifetime;

        try
        {
            await cache.SetAsync(key, payload, new HybridCacheEntryOptions { Expiration = lifetime, LocalCacheExpiration = lifetime }, tags);
        }
        catch (Exception e) when (StorageOutage.Is(e))
        {
            // Redis down: this request still has its token; the next one may fetch another.
            logger.TokenCacheStoreUnavailable(e.GetType().Name);
        }
    }

    private bool Fresh(Entry entry) => !TokenExpiry.NeedsRefresh(entry.ExpiresAt, time.GetUtcNow(), Skew(entry));

    // The refresh skew, but at most half the token's life: a token issued for 60 s is still used for
    // 30 s when the skew is a minute, instead of being fetched anew on every request.
    private TimeSpan Skew(Entry entry)
    {
        if (entry.ExpiresAt == DateTimeOffset.MaxValue)
        {
            return TimeSpan.Zero;
        }

        var skew = options.CurrentValue.RefreshBeforeExpiry;
        var half = (entry.ExpiresAt - entry.IssuedAt) / 2;
        return half < skew ? half : skew;
    }

    private Entry? Read(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<Entry>(protector.Unprotect(payload));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            // Protected with a key this instance does not have, or damaged: as if it were not there.
            return null;
        }
    }

    private string Protect(Entry entry) => protector.Protect(JsonSerializer.Serialize(entry));

    private DateTimeOffset Now => time.GetUtcNow();

    private void Fetched(string label, DateTimeOffset expiresAt) => logger.CachedTokenFetched(label, expiresAt);

    /// <summary>A cached token; kept only in protected form.</summary>
    private sealed record Entry(string AccessToken, string TokenType, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"Entry {{ ExpiresAt = {ExpiresAt:O} }}";
    }

    /// <summary>
    /// One read-or-fetch (one at a time per key in this process): whether its fetch ran, so that only
    /// then the token is stored, and why it failed. A failure leaves HybridCache's factory by an
    /// exception, the one way to keep HybridCache from caching it.
    /// </summary>
    private sealed class Attempt(CachedTokens owner, string label, Func<CancellationToken, Task<TokenRefreshResult>> fetch)
    {
        public bool Fetched { get; private set; }

        public UserTokenResult? Failure { get; private set; }

        public async ValueTask<string> FetchAsync(CancellationToken cancellationToken)
        {
            var response = await fetch(cancellationToken);
            if (response.ErrorKind is not null || string.IsNullOrEmpty(response.AccessToken))
            {
                Failure = UserTokenResult.Failure(response.ErrorKind ?? TokenErrorKind.Transient, response.Error ?? "no_access_token_in_response");
                throw new InvalidOperationException("The token endpoint issued no token: " + Failure);
            }

            var now = owner.Now;
            var entry = new Entry(
                response.AccessToken,
                string.IsNullOrEmpty(response.TokenType) ? "Bearer" : response.TokenType,
                now,
                TokenExpiry.ComputeExpiry(response.AccessToken, response.ExpiresIn, now));
            owner.Fetched(label, entry.ExpiresAt);
            Fetched = true;
            return owner.Protect(entry);
        }
    }
}
