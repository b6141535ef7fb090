using Bff.Sessions;
using LiteDB;
using Microsoft.Extensions.Options;

namespace Bff.Logout.Internal;

/// <summary>
/// The default <see cref="ILogoutTokenReplayCache"/> of a single instance: seen token ids with their
/// expiry in the BFF's LiteDB database (the session database), so a logout token captured and replayed
/// after a restart is still refused. At most <see cref="BackchannelLogoutOptions.ReplayCacheSize"/>
/// unexpired ids are kept; expired ones are deleted as new ones arrive.
/// </summary>
/// <remarks>
/// Important: when the cache is full of ids that have not expired, new tokens are refused rather than
/// old ids forgotten, so a flood cannot open a replay window. Several instances need a shared store
/// instead (Redis); one LiteDB file belongs to one process.
/// </remarks>
internal sealed class LiteDbLogoutTokenReplayCache : ILogoutTokenReplayCache
{
    internal const string CollectionName = "logout_token_ids";

    // Find-then-insert must not interleave between two deliveries of the same token.
    private readonly Lock _gate = new();
    private readonly ILiteCollection<SeenLogoutToken> _seen;
    private readonly IOptionsMonitor<BackchannelLogoutOptions> _options;
    private readonly TimeProvider _time;

    public LiteDbLogoutTokenReplayCache(BffDatabase database, IOptionsMonitor<BackchannelLogoutOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        _seen = database.Database.GetCollection<SeenLogoutToken>(CollectionName);
        _seen.EnsureIndex(s => s.Expires);
        _options = options;
        _time = time;
    }

    public Task<bool> TryAddAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        var now = _time.GetUtcNow().UtcDateTime;
        var expires = expiresAt.UtcDateTime;
        lock (_gate)
        {
            // An index range delete: cheap when nothing has expired, and it keeps the file small.
            _seen.DeleteMany(Query.LTE(nameof(SeenLogoutToken.Expires), new BsonValue(now)));

            // A remembered id whose time is over was just deleted, so it may be taken again: the token
            // itself is too old to be accepted by now.
            if (_seen.FindById(tokenId) is not null || _seen.Count() >= _options.CurrentValue.ReplayCacheSize)
            {
                return Task.FromResult(false);
            }

            _seen.Insert(new SeenLogoutToken { Id = tokenId, Expires = expires });
            return Task.FromResult(true);
        }
    }
}

/// <summary>One remembered logout token id.</summary>
internal sealed class SeenLogoutToken
{
    /// <summary>The issuer-scoped token id.</summary>
    [BsonId]
    public string Id { get; set; } = "";

    /// <summary>Until when the id is remembered (UTC).</summary>
    public DateTime Expires { get; set; }
}
