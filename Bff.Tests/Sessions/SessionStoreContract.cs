using System.Text;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Sessions;

/// <summary>
/// What every session storage must do, checked through the BFF's <see cref="IInternalSessionStore"/>
/// (protection layer, memory cache and storage together). Each storage runs these unchanged in a
/// subclass that says how to build a host on it and how to read its raw bytes.
/// </summary>
public abstract class SessionStoreContract : IDisposable
{
    // Distinctive values, so that finding one in the raw storage cannot be a coincidence.
    protected const string Subject = "subject-7f3a-alice";
    protected const string UserName = "alice.user-name";
    protected const string ProviderSessionId = "kc-sid-91c2";
    protected const string UserAgent = "Mozilla/5.0 contract-agent";

    private IHost? _host;

    protected BffTempFolder Folder { get; } = new();

    protected BffTestClock Clock { get; } = new();

    protected IHost Host => _host ??= CreateHost();

    private protected IInternalSessionStore Store => Host.Services.GetRequiredService<IInternalSessionStore>();

    /// <summary>A host on the storage under test, using <see cref="Clock"/> and <see cref="Folder"/>.</summary>
    protected abstract IHost CreateHost(IDictionary<string, string?>? settings = null);

    /// <summary>Everything the storage holds for one session, as text (bytes decoded as UTF-8 and Latin-1).</summary>
    protected abstract Task<string> ReadRawAsync(string key);

    /// <summary>Stops the host and starts another on the same storage.</summary>
    protected void Restart()
    {
        _host?.Dispose();
        _host = CreateHost();
    }

    protected ServerSession Session(string key, string sub = Subject, string sid = ProviderSessionId) => new()
    {
        Key = key,
        Subject = sub,
        SessionId = sid,
        Issuer = "https://idp.example/realms/bff",
        Ticket = Encoding.UTF8.GetBytes("ticket-of-" + UserName + "-" + key),
        Tokens = new SessionTokens("access-" + key, Clock.GetUtcNow().AddMinutes(5), "refresh-" + key, "id-" + key),
        Created = Clock.GetUtcNow(),
        LastSeen = Clock.GetUtcNow(),
        Expires = Clock.GetUtcNow().AddHours(10),
        IdleExpires = Clock.GetUtcNow().AddMinutes(30),
        UserAgent = UserAgent,
        IpAddress = "127.0.0.1",
    };

    protected static string AsText(byte[] bytes) => Encoding.UTF8.GetString(bytes) + "\n" + Encoding.Latin1.GetString(bytes);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _host?.Dispose();
            Folder.Dispose();
        }
    }

    [Fact]
    public async Task A_saved_session_reads_back_equal()
    {
        var session = Session("k1");
        await Store.SaveAsync(session);

        var read = await Store.GetAsync("k1");

        Assert.NotNull(read);
        Assert.Equal(session.Tokens, read.Tokens);
        Assert.Equal(session.Ticket, read.Ticket);
        Assert.Equal(session with { Ticket = read.Ticket, Tokens = read.Tokens, Version = read.Version }, read);
    }

    [Fact]
    public async Task The_storage_holds_no_token_no_claim_value_and_no_user_name_in_clear_text()
    {
        await Store.SaveAsync(Session("k1"));
        Assert.True(await Store.UpdateTokensAsync("k1", new SessionTokens("access-two", Clock.GetUtcNow().AddMinutes(5), "refresh-two", "id-two")));
        Assert.True(await Store.RenewAsync("k1", Encoding.UTF8.GetBytes("renewed-ticket-of-" + UserName), Clock.GetUtcNow(), Clock.GetUtcNow().AddMinutes(30)));

        var raw = await ReadRawAsync("k1");

        Assert.NotEmpty(raw);
        foreach (var secret in new[] { "access-two", "refresh-two", "id-two", "access-k1", "refresh-k1", Subject, UserName, ProviderSessionId, "idp.example", "contract-agent" })
        {
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        }

        Assert.Equal("refresh-two", (await Store.GetAsync("k1"))?.Tokens?.RefreshToken);
    }

    [Fact]
    public async Task Sessions_survive_a_restart()
    {
        await Store.SaveAsync(Session("k1"));
        Restart();

        Assert.Equal("refresh-k1", (await Store.GetAsync("k1"))?.Tokens?.RefreshToken);
    }

    [Fact]
    public async Task The_live_count_leaves_out_what_ended_and_what_expired_and_follows_renewals()
    {
        var count = Assert.IsAssignableFrom<Bff.Sessions.Internal.ISessionStorageCount>(Host.Services.GetRequiredService<ISessionStorage>());
        await Store.SaveAsync(Session("stays"));
        await Store.SaveAsync(Session("ends"));
        await Store.SaveAsync(Session("idles") with { IdleExpires = Clock.GetUtcNow().AddMinutes(1) });
        Assert.Equal(3, count.CountLive(Clock.GetUtcNow()));

        await Store.DeleteAsync("ends");
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, count.CountLive(Clock.GetUtcNow()));

        // Past its first idle expiry, "stays" is counted only because its renewal moved it.
        Assert.True(await Store.RenewAsync("stays", [1], Clock.GetUtcNow(), Clock.GetUtcNow().AddMinutes(40)));
        Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, count.CountLive(Clock.GetUtcNow()));
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, count.CountLive(Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Idle_and_absolute_expiry_end_a_session()
    {
        await Store.SaveAsync(Session("idle"));
        await Store.SaveAsync(Session("active") with { IdleExpires = Clock.GetUtcNow().AddHours(20) });

        Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await Store.GetAsync("idle"));
        Assert.NotNull(await Store.GetAsync("active"));
        Assert.False(await Store.UpdateTokensAsync("idle", new SessionTokens("a", Clock.GetUtcNow(), null, null)));
        Assert.False(await Store.RenewAsync("idle", [1], Clock.GetUtcNow(), Clock.GetUtcNow().AddMinutes(30)));

        Clock.Advance(TimeSpan.FromHours(10));
        Assert.Null(await Store.GetAsync("active"));
        Assert.Empty(await Store.FindAsync(new SessionFilter(Subject: Subject)));
    }

    [Fact]
    public async Task Renewal_moves_idle_expiry_but_never_past_the_absolute_one_and_keeps_tokens_and_version()
    {
        await Store.SaveAsync(Session("k1"));
        var newTokens = new SessionTokens("new-access", Clock.GetUtcNow().AddMinutes(5), "new-refresh", "id");
        await Store.UpdateTokensAsync("k1", newTokens);
        var version = (await Store.GetAsync("k1"))!.Version;

        Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await Store.RenewAsync("k1", [1, 2, 3], Clock.GetUtcNow(), Clock.GetUtcNow().AddHours(30)));

        var read = await Store.GetAsync("k1");
        Assert.Equal(newTokens, read?.Tokens);
        Assert.Equal([1, 2, 3], read?.Ticket);
        Assert.Equal(read?.Expires, read?.IdleExpires);
        Assert.Equal(Clock.GetUtcNow(), read?.LastSeen);
        Assert.Equal(version, read?.Version);
        Assert.Equal(Subject, read?.Subject);
    }

    [Fact]
    public async Task Writes_to_a_missing_session_report_false()
    {
        Assert.False(await Store.UpdateTokensAsync("missing", new SessionTokens("a", DateTimeOffset.UtcNow, null, null)));
        Assert.False(await Store.CompareAndSetTokensAsync("missing", 1, new SessionTokens("a", DateTimeOffset.UtcNow, null, null)));
        Assert.False(await Store.RenewAsync("missing", [1], DateTimeOffset.UtcNow, null));
        Assert.False(await Store.DeleteAsync("missing"));
    }

    [Fact]
    public async Task Every_token_write_and_save_moves_the_version_on()
    {
        await Store.SaveAsync(Session("k1"));
        var first = (await Store.GetAsync("k1"))!.Version;

        await Store.UpdateTokensAsync("k1", new SessionTokens("a2", Clock.GetUtcNow().AddMinutes(5), "r2", null));
        var second = (await Store.GetAsync("k1"))!.Version;
        await Store.SaveAsync(Session("k1"));
        var third = (await Store.GetAsync("k1"))!.Version;

        Assert.True(first > 0);
        Assert.True(second > first);
        Assert.True(third > second);
    }

    [Fact]
    public async Task Compare_and_set_writes_only_over_the_expected_version()
    {
        await Store.SaveAsync(Session("k1"));
        var seen = (await Store.GetAsync("k1"))!.Version;
        var mine = new SessionTokens("mine", Clock.GetUtcNow().AddMinutes(5), "mine-refresh", null);

        Assert.True(await Store.CompareAndSetTokensAsync("k1", seen, mine));
        var stale = new SessionTokens("stale", Clock.GetUtcNow().AddMinutes(5), "stale-refresh", null);
        Assert.False(await Store.CompareAndSetTokensAsync("k1", seen, stale));

        var read = await Store.GetAsync("k1");
        Assert.Equal(mine, read?.Tokens);
        Assert.Equal(seen + 1, read?.Version);
    }

    [Fact]
    public async Task Of_concurrent_compare_and_set_writes_on_one_version_exactly_one_wins()
    {
        await Store.SaveAsync(Session("k1"));
        var seen = (await Store.GetAsync("k1"))!.Version;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Store.CompareAndSetTokensAsync("k1", seen, new SessionTokens("a" + i, Clock.GetUtcNow().AddMinutes(5), "r" + i, null)))));

        var winner = Assert.Single(Enumerable.Range(0, 20), i => results[i]);
        Assert.Equal("r" + winner, (await Store.GetAsync("k1"))?.Tokens?.RefreshToken);
    }

    [Fact]
    public async Task Concurrent_token_updates_and_renewals_never_lose_the_last_token_write()
    {
        await Store.SaveAsync(Session("k1"));
        var tasks = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await Store.RenewAsync("k1", [(byte)i], Clock.GetUtcNow(), null);
        })).ToList();
        var tokens = new SessionTokens("final", Clock.GetUtcNow().AddMinutes(5), "final-refresh", null);
        tasks.Add(Task.Run(() => Store.UpdateTokensAsync("k1", tokens)));
        await Task.WhenAll(tasks);

        Assert.Equal(tokens, (await Store.GetAsync("k1"))?.Tokens);
    }

    [Fact]
    public async Task Sessions_are_found_and_deleted_by_subject_or_provider_session()
    {
        await Store.SaveAsync(Session("a1", sub: "alice", sid: "s1"));
        await Store.SaveAsync(Session("a2", sub: "alice", sid: "s2"));
        await Store.SaveAsync(Session("b1", sub: "bob", sid: "s3"));

        Assert.Equal(["a1", "a2"], (await Store.FindAsync(new SessionFilter(Subject: "alice"))).Select(s => s.Key).Order());
        Assert.Equal(["a2"], (await Store.FindAsync(new SessionFilter(SessionId: "s2"))).Select(s => s.Key));
        Assert.Equal(["a2"], (await Store.FindAsync(new SessionFilter(Subject: "alice", SessionId: "s2"))).Select(s => s.Key));
        Assert.Empty(await Store.FindAsync(new SessionFilter(Subject: "bob", SessionId: "s1")));
        Assert.Equal("refresh-a1", (await Store.FindAsync(new SessionFilter(SessionId: "s1"))).Single().Tokens?.RefreshToken);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FindAsync(new SessionFilter()));

        var deleted = await Store.DeleteAsync(new SessionFilter(SessionId: "s1"));
        Assert.Equal(["a1"], deleted.Select(s => s.Key));
        Assert.Null(await Store.GetAsync("a1"));
        Assert.Equal(["a2"], (await Store.FindAsync(new SessionFilter(Subject: "alice"))).Select(s => s.Key));
        Assert.Equal(2, (await Store.DeleteAsync(new SessionFilter(Subject: "alice"))).Count + (await Store.DeleteAsync(new SessionFilter(Subject: "bob"))).Count);
        Assert.Null(await Store.GetAsync("b1"));
        Assert.False(await Store.DeleteAsync("x"));
    }

    [Fact]
    public async Task A_replaced_session_moves_to_its_new_user_in_the_indexes()
    {
        await Store.SaveAsync(Session("k1", sub: "alice", sid: "s1"));
        await Store.SaveAsync(Session("k1", sub: "bob", sid: "s2"));

        Assert.Empty(await Store.FindAsync(new SessionFilter(Subject: "alice")));
        Assert.Empty(await Store.FindAsync(new SessionFilter(SessionId: "s1")));
        Assert.Equal(["k1"], (await Store.FindAsync(new SessionFilter(Subject: "bob"))).Select(s => s.Key));
    }

    [Fact]
    public async Task A_deleted_session_is_gone_from_the_indexes()
    {
        await Store.SaveAsync(Session("k1", sub: "alice", sid: "s1"));
        Assert.True(await Store.DeleteAsync("k1"));

        Assert.Empty(await Store.FindAsync(new SessionFilter(Subject: "alice")));
        Assert.Empty(await Store.DeleteAsync(new SessionFilter(SessionId: "s1")));
    }
}
