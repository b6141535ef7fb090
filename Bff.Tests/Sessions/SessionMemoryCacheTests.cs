using System.Text;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Sessions;

/// <summary>
/// The session store's in-memory cache of recently read sessions (<c>Bff:Session:CacheSize</c>): hits
/// skip the storage, and every write through the store is seen by the next read. To tell a hit from a
/// storage read, the tests change a LiteDB document behind the store's back (its creation time, a
/// field the storage keeps in clear) through the shared database.
/// </summary>
public sealed class SessionMemoryCacheTests : IDisposable
{
    private readonly BffTempFolder _folder = new();
    private readonly BffTestClock _clock = new();
    private IHost _host;

    public SessionMemoryCacheTests() => _host = CreateHost();

    private ProtectedServerSessionStore Store => _host.Services.GetRequiredService<ProtectedServerSessionStore>();

    private ILiteCollection<BsonDocument> Documents =>
        _host.Services.GetRequiredService<BffDatabase>().Database.GetCollection(LiteDbSessionStorage.CollectionName);

    private IHost CreateHost(int? cacheSize = null) => BffServices.CreateHost(
        _folder,
        cacheSize is { } size ? new Dictionary<string, string?> { ["Bff:Session:CacheSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null,
        configure: services => services.TryAddSingleton<TimeProvider>(_clock));

    private ServerSession Session(string key, string sub = "sub-1") => new()
    {
        Key = key,
        Subject = sub,
        SessionId = "sid-" + key,
        Issuer = "https://idp",
        Ticket = Encoding.UTF8.GetBytes("ticket-" + key),
        Tokens = new SessionTokens("access-" + key, _clock.GetUtcNow().AddMinutes(5), "refresh-" + key, "id-" + key),
        Created = _clock.GetUtcNow(),
        LastSeen = _clock.GetUtcNow(),
        Expires = _clock.GetUtcNow().AddHours(10),
        IdleExpires = _clock.GetUtcNow().AddMinutes(30),
    };

    /// <summary>Sets the stored creation year without going through the store (so without invalidating).</summary>
    private void MarkBehindTheStore(string key, int year)
    {
        var document = Documents.FindById(SessionIndex.Key(key));
        document["Created"] = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.True(Documents.Update(document));
    }

    private static int? Mark(ServerSession? session) => session?.Created.Year;

    public void Dispose()
    {
        _host.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_session_read_once_is_served_from_memory()
    {
        await Store.SaveAsync(Session("k1"));
        var created = Mark(await Store.GetAsync("k1"));

        MarkBehindTheStore("k1", 2001);

        Assert.Equal(created, Mark(await Store.GetAsync("k1")));
        Assert.Equal("access-k1", (await Store.GetAsync("k1"))?.Tokens?.AccessToken);
        Assert.Equal(1, Store.CachedCount);
    }

    [Fact]
    public async Task Asking_whether_a_session_can_call_apis_keeps_the_answer_in_memory_and_not_the_tokens()
    {
        await Store.SaveAsync(Session("k1"));

        var state = await Store.GetTokenStateAsync("k1");

        Assert.Equal(new SessionTokenState(true, _clock.GetUtcNow().AddMinutes(5), HasRefreshToken: true), state);
        Assert.Equal((Protected: false, Unprotected: false), Store.CachedTokenForms("k1"));
        Assert.Equal(state, await Store.GetTokenStateAsync("k1"));

        // A caller that needs the tokens (the token service) gets them, and memory then holds them
        // unprotected only, not both forms.
        Assert.Equal("refresh-k1", (await Store.GetAsync("k1"))?.Tokens?.RefreshToken);
        Assert.Equal((Protected: false, Unprotected: true), Store.CachedTokenForms("k1"));
        Assert.Equal(state, await Store.GetTokenStateAsync("k1"));
        Assert.Equal("access-k1", (await Store.GetAsync("k1"))?.Tokens?.AccessToken);
    }

    [Fact]
    public async Task The_token_state_of_a_session_without_tokens_or_without_a_session_says_so()
    {
        await Store.SaveAsync(Session("k1") with { Tokens = null });

        Assert.Equal(new SessionTokenState(false, default, false), await Store.GetTokenStateAsync("k1"));
        Assert.Null(await Store.GetTokenStateAsync("unknown"));
    }

    [Fact]
    public async Task A_fresh_read_goes_to_the_storage_even_when_the_session_is_in_memory()
    {
        await Store.SaveAsync(Session("k1"));
        var created = Mark(await Store.GetAsync("k1"));

        MarkBehindTheStore("k1", 2001);

        Assert.Equal(2001, Mark(await Store.GetFreshAsync("k1")));
        Assert.Equal("refresh-k1", (await Store.GetFreshAsync("k1"))?.Tokens?.RefreshToken);
        Assert.NotEqual(created, 2001);
    }

    [Fact]
    public async Task Without_a_cache_every_read_goes_to_the_database()
    {
        _host.Dispose();
        _host = CreateHost(cacheSize: 0);
        await Store.SaveAsync(Session("k1"));
        Assert.Equal("sub-1", (await Store.GetAsync("k1"))?.Subject);

        MarkBehindTheStore("k1", 2001);

        Assert.Equal(2001, Mark(await Store.GetAsync("k1")));
        Assert.Equal(0, Store.CachedCount);
    }

    [Fact]
    public async Task A_ticket_only_read_leaves_the_tokens_out_and_a_full_read_has_them()
    {
        await Store.SaveAsync(Session("k1"));

        var ticketOnly = await Store.GetAsync("k1", includeTokens: false);
        var full = await Store.GetAsync("k1");

        Assert.Null(ticketOnly?.Tokens);
        Assert.Equal("ticket-k1", Encoding.UTF8.GetString(ticketOnly!.Ticket));
        Assert.Equal("refresh-k1", full?.Tokens?.RefreshToken);
        Assert.Null((await Store.GetAsync("k1", includeTokens: false))?.Tokens);
    }

    [Fact]
    public async Task Every_write_through_the_store_is_seen_by_the_next_read()
    {
        await Store.SaveAsync(Session("k1"));
        await Store.GetAsync("k1");

        // Each write below also marks the document behind the store: a read that still shows the
        // old mark came from memory, so the write did not invalidate it.
        MarkBehindTheStore("k1", 2001);
        var tokens = new SessionTokens("access-2", _clock.GetUtcNow().AddMinutes(5), "refresh-2", "id-2");
        Assert.True(await Store.UpdateTokensAsync("k1", tokens));
        var read = await Store.GetAsync("k1");
        Assert.Equal(tokens, read?.Tokens);
        Assert.Equal(2001, Mark(read));

        MarkBehindTheStore("k1", 2002);
        Assert.True(await Store.RenewAsync("k1", [7, 7], _clock.GetUtcNow(), _clock.GetUtcNow().AddMinutes(20)));
        read = await Store.GetAsync("k1", includeTokens: false);
        Assert.Equal([7, 7], read?.Ticket);
        Assert.Equal(2002, Mark(read));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(20), read?.IdleExpires);

        await Store.SaveAsync(Session("k1", sub: "replaced"));
        Assert.Equal("replaced", (await Store.GetAsync("k1"))?.Subject);

        Assert.True(await Store.DeleteAsync("k1"));
        Assert.Null(await Store.GetAsync("k1"));

        await Store.SaveAsync(Session("k2", sub: "bob"));
        Assert.NotNull(await Store.GetAsync("k2"));
        Assert.Single(await Store.DeleteAsync(new SessionFilter(Subject: "bob")));
        Assert.Null(await Store.GetAsync("k2"));
    }

    [Fact]
    public async Task A_cached_session_still_expires()
    {
        await Store.SaveAsync(Session("k1"));
        Assert.NotNull(await Store.GetAsync("k1"));

        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await Store.GetAsync("k1"));
        Assert.Null(await Store.GetAsync("k1", includeTokens: false));
        Assert.Equal(0, Store.CachedCount);
    }

    [Fact]
    public async Task The_cache_keeps_at_most_its_size_and_drops_the_least_recently_used()
    {
        _host.Dispose();
        _host = CreateHost(cacheSize: 10);
        for (var i = 0; i < 25; i++)
        {
            await Store.SaveAsync(Session("k" + i));
            Assert.NotNull(await Store.GetAsync("k" + i));
            _clock.Advance(TimeSpan.FromSeconds(1));

            // k0 is read all along: the most recently used one stays.
            Assert.NotNull(await Store.GetAsync("k0"));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(Store.CachedCount, 1, 10);
        var created = Mark(await Store.GetAsync("k0"));
        MarkBehindTheStore("k0", 2001);
        Assert.Equal(created, Mark(await Store.GetAsync("k0")));
        for (var i = 0; i < 25; i++)
        {
            Assert.NotNull(await Store.GetAsync("k" + i));
        }
    }

    [Fact]
    public void A_database_read_that_began_before_a_write_is_not_kept()
    {
        var cache = new SessionMemoryCache(10, TimeProvider.System);
        var stamp = cache.Stamp;

        // A write lands (and invalidates) between the read's stamp and its add.
        cache.Invalidate("k1");
        cache.Add("k1", Session("k1"), protectedTokens: null, stamp);
        Assert.False(cache.TryGet("k1", out _));

        cache.Add("k1", Session("k1"), protectedTokens: null, cache.Stamp);
        Assert.True(cache.TryGet("k1", out var entry));
        Assert.Equal("k1", entry.Session.Key);

        // A write to another session is a write too: reads are not kept across any write.
        stamp = cache.Stamp;
        cache.Invalidate("other");
        cache.Add("k2", Session("k2"), protectedTokens: null, stamp);
        Assert.False(cache.TryGet("k2", out _));
    }

    [Fact]
    public async Task Reads_racing_with_token_updates_never_see_older_tokens_once_the_update_returned()
    {
        await Store.SaveAsync(Session("k1"));
        using var stop = new CancellationTokenSource();
        using var running = new CountdownEvent(6);

        // Readers on threads of their own, each counted in once it has read: the writer starts only
        // when all of them are reading (a busy thread pool would otherwise start them late).
        var readers = Enumerable.Range(0, 6).Select(_ => Task.Factory.StartNew(
            () =>
            {
                var reads = 0;
                while (!stop.IsCancellationRequested)
                {
                    Assert.NotNull(Store.GetAsync("k1").GetAwaiter().GetResult());
                    if (++reads == 1)
                    {
                        running.Signal();
                    }
                }

                return reads;
            },
            TaskCreationOptions.LongRunning)).ToList();
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "The readers did not start.");

        for (var version = 0; version < 1000; version++)
        {
            var tokens = new SessionTokens($"access-{version}", _clock.GetUtcNow().AddMinutes(5), $"refresh-{version}", null);
            Assert.True(await Store.UpdateTokensAsync("k1", tokens));

            // Once the update returned, no reader may put or find an older copy in memory.
            for (var check = 0; check < 3; check++)
            {
                Assert.Equal($"refresh-{version}", (await Store.GetAsync("k1"))?.Tokens?.RefreshToken);
            }
        }

        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
    }
}
