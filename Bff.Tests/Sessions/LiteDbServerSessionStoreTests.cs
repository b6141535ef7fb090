using System.Text;
using Bff.Configuration;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Sessions;

public sealed class LiteDbServerSessionStoreTests : IDisposable
{
    private readonly BffTempFolder _folder = new();
    private readonly BffTestClock _clock = new();
    private IHost _host;

    public LiteDbServerSessionStoreTests() => _host = CreateHost();

    private IServerSessionStore Store => _host.Services.GetRequiredService<IServerSessionStore>();

    private IHost CreateHost() => BffServices.CreateHost(_folder, configure: services => services.TryAddSingleton<TimeProvider>(_clock));

    private ServerSession Session(string key, string sub = "sub-1", string sid = "sid-1") => new()
    {
        Key = key,
        Subject = sub,
        SessionId = sid,
        Issuer = "https://idp",
        Ticket = Encoding.UTF8.GetBytes("ticket-" + key),
        Tokens = new SessionTokens("access-" + key, _clock.GetUtcNow().AddMinutes(5), "refresh-" + key, "id-" + key),
        Created = _clock.GetUtcNow(),
        LastSeen = _clock.GetUtcNow(),
        Expires = _clock.GetUtcNow().AddHours(10),
        IdleExpires = _clock.GetUtcNow().AddMinutes(30),
        UserAgent = "test",
        IpAddress = "127.0.0.1",
    };

    public void Dispose()
    {
        _host.Dispose();
        _folder.Dispose();
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
        Assert.Equal(session with { Ticket = read.Ticket, Tokens = read.Tokens }, read);
    }

    [Fact]
    public async Task Ticket_and_tokens_are_encrypted_in_the_database_file()
    {
        await Store.SaveAsync(Session("k1"));
        _host.Dispose();

        using (var database = new LiteDatabase($"Filename={_folder.DatabaseFile}"))
        {
            var document = database.GetCollection(LiteDbServerSessionStore.CollectionName).FindById("k1");
            var raw = Encoding.UTF8.GetString(document["Ticket"].AsBinary) + Encoding.UTF8.GetString(document["Tokens"].AsBinary);
            Assert.DoesNotContain("ticket-k1", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("access-k1", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("refresh-k1", raw, StringComparison.Ordinal);
        }

        _host = CreateHost();
        Assert.Equal("access-k1", (await Store.GetAsync("k1"))?.Tokens?.AccessToken);
    }

    [Fact]
    public async Task Sessions_survive_a_restart_with_the_same_keys_folder()
    {
        await Store.SaveAsync(Session("k1"));
        _host.Dispose();
        _host = CreateHost();

        Assert.NotNull(await Store.GetAsync("k1"));
    }

    [Fact]
    public async Task Sessions_written_with_other_Data_Protection_keys_read_as_ended_not_as_errors()
    {
        await Store.SaveAsync(Session("k1"));
        _host.Dispose();
        Directory.Delete(_folder.KeysPath, recursive: true);
        _host = CreateHost();

        Assert.Null(await Store.GetAsync("k1"));
    }

    [Fact]
    public async Task Idle_and_absolute_expiry_end_a_session()
    {
        await Store.SaveAsync(Session("idle"));
        await Store.SaveAsync(Session("active") with { IdleExpires = _clock.GetUtcNow().AddHours(20) });

        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await Store.GetAsync("idle"));
        Assert.NotNull(await Store.GetAsync("active"));

        _clock.Advance(TimeSpan.FromHours(10));
        Assert.Null(await Store.GetAsync("active"));
    }

    [Fact]
    public async Task Renewal_moves_idle_expiry_but_never_past_the_absolute_one_and_keeps_tokens()
    {
        await Store.SaveAsync(Session("k1"));
        var newTokens = new SessionTokens("new-access", _clock.GetUtcNow().AddMinutes(5), "new-refresh", "id");
        await Store.UpdateTokensAsync("k1", newTokens);

        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await Store.RenewAsync("k1", [1, 2, 3], _clock.GetUtcNow(), _clock.GetUtcNow().AddHours(30)));

        var read = await Store.GetAsync("k1");
        Assert.Equal(newTokens, read?.Tokens);
        Assert.Equal([1, 2, 3], read?.Ticket);
        Assert.Equal(read?.Expires, read?.IdleExpires);
        Assert.Equal(_clock.GetUtcNow(), read?.LastSeen);
    }

    [Fact]
    public async Task Updating_tokens_of_a_missing_session_reports_false()
    {
        Assert.False(await Store.UpdateTokensAsync("missing", new SessionTokens("a", DateTimeOffset.UtcNow, null, null)));
        Assert.False(await Store.RenewAsync("missing", [1], DateTimeOffset.UtcNow, null));
    }

    [Fact]
    public async Task Sessions_are_found_and_deleted_by_subject_or_provider_session()
    {
        await Store.SaveAsync(Session("a1", sub: "alice", sid: "s1"));
        await Store.SaveAsync(Session("a2", sub: "alice", sid: "s2"));
        await Store.SaveAsync(Session("b1", sub: "bob", sid: "s3"));

        Assert.Equal(["a1", "a2"], (await Store.FindAsync(new SessionFilter(Subject: "alice"))).Select(s => s.Key).Order());
        Assert.Equal(["a2"], (await Store.FindAsync(new SessionFilter(SessionId: "s2"))).Select(s => s.Key));
        Assert.Empty(await Store.FindAsync(new SessionFilter(Subject: "bob", SessionId: "s1")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FindAsync(new SessionFilter()));

        var deleted = await Store.DeleteAsync(new SessionFilter(SessionId: "s1"));
        Assert.Equal(["a1"], deleted.Select(s => s.Key));
        Assert.Null(await Store.GetAsync("a1"));
        Assert.Equal(2, (await Store.DeleteAsync(new SessionFilter(Subject: "alice"))).Count + (await Store.DeleteAsync(new SessionFilter(Subject: "bob"))).Count);
        Assert.True(await Store.DeleteAsync("x") is false);
    }

    [Fact]
    public async Task Expired_sessions_are_swept()
    {
        await Store.SaveAsync(Session("old"));
        await Store.SaveAsync(Session("new") with { IdleExpires = _clock.GetUtcNow().AddHours(2) });
        _clock.Advance(TimeSpan.FromHours(1));

        var swept = ((LiteDbServerSessionStore)Store).DeleteExpired();

        Assert.Equal(1, swept);
        var database = _host.Services.GetRequiredService<BffDatabase>().Database;
        Assert.Equal(["new"], database.GetCollection(LiteDbServerSessionStore.CollectionName).FindAll().Select(d => d["_id"].AsString));
    }

    [Fact]
    public async Task Concurrent_token_updates_and_renewals_never_lose_the_last_token_write()
    {
        await Store.SaveAsync(Session("k1"));
        var tasks = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await Store.RenewAsync("k1", [(byte)i], _clock.GetUtcNow(), null);
        })).ToList();
        var tokens = new SessionTokens("final", _clock.GetUtcNow().AddMinutes(5), "final-refresh", null);
        tasks.Add(Task.Run(() => Store.UpdateTokensAsync("k1", tokens)));
        await Task.WhenAll(tasks);

        Assert.Equal(tokens, (await Store.GetAsync("k1"))?.Tokens);
    }

    [Fact]
    public async Task The_background_cleanup_deletes_expired_sessions_of_a_running_app()
    {
        _host.Dispose();
        _host = BffServices.CreateHost(
            _folder,
            new Dictionary<string, string?> { ["Bff:Session:CleanupInterval"] = "00:00:00.050" },
            configure: services => services.TryAddSingleton<TimeProvider>(_clock));
        await Store.SaveAsync(Session("expired"));
        await Store.SaveAsync(Session("live") with { IdleExpires = _clock.GetUtcNow().AddHours(2) });
        _clock.Advance(TimeSpan.FromHours(1));
        var sessions = _host.Services.GetRequiredService<BffDatabase>().Database.GetCollection(LiteDbServerSessionStore.CollectionName);

        await _host.StartAsync();
        try
        {
            // Generous deadline: this waits for the sweep to happen, it does not time it.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (sessions.Count() > 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Equal(["live"], sessions.FindAll().Select(d => d["_id"].AsString));
        }
        finally
        {
            await _host.StopAsync();
        }
    }
}
