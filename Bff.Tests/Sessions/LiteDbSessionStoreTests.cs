using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Sessions;

/// <summary>The session store contract on the default LiteDB storage, plus what only LiteDB does.</summary>
public sealed class LiteDbSessionStoreTests : SessionStoreContract
{
    protected override IHost CreateHost(IDictionary<string, string?>? settings = null) =>
        BffServices.CreateHost(Folder, settings, configure: services => services.TryAddSingleton<TimeProvider>(Clock));

    protected override Task<string> ReadRawAsync(string key)
    {
        // The raw document from the file itself, read by a second opener once the host let it go.
        Host.Dispose();
        string raw;
        using (var database = new LiteDatabase($"Filename={Folder.DatabaseFile}"))
        {
            var document = database.GetCollection(LiteDbSessionStorage.CollectionName).FindById(SessionIndex.Key(key));
            raw = string.Join("\n", document.Select(field => field.Value.IsBinary ? AsText(field.Value.AsBinary) : field.Value.ToString()));
        }

        Restart();
        return Task.FromResult(raw);
    }

    private ILiteCollection<BsonDocument> Documents =>
        Host.Services.GetRequiredService<BffDatabase>().Database.GetCollection(LiteDbSessionStorage.CollectionName);

    [Fact]
    public void The_default_storage_is_LiteDB_and_makes_no_Redis_connection()
    {
        Assert.IsType<LiteDbSessionStorage>(Host.Services.GetRequiredService<ISessionStorage>());
        Assert.Null(Host.Services.GetService<StackExchange.Redis.IConnectionMultiplexer>());
    }

    [Fact]
    public async Task Sessions_written_with_other_Data_Protection_keys_read_as_ended_not_as_errors()
    {
        await Store.SaveAsync(Session("k1"));
        Host.Dispose();
        Directory.Delete(Folder.KeysPath, recursive: true);
        Restart();

        Assert.Null(await Store.GetAsync("k1"));
        Assert.Empty(await Store.FindAsync(new SessionFilter(Subject: Subject)));
    }

    [Fact]
    public async Task Expired_sessions_are_swept()
    {
        await Store.SaveAsync(Session("old"));
        await Store.SaveAsync(Session("new") with { IdleExpires = Clock.GetUtcNow().AddHours(2) });
        Clock.Advance(TimeSpan.FromHours(1));

        var swept = await Assert.IsAssignableFrom<ISessionStorageCleanup>(Host.Services.GetRequiredService<ISessionStorage>()).DeleteExpiredAsync();

        Assert.Equal(1, swept);
        Assert.Equal([SessionIndex.Key("new")], Documents.FindAll().Select(d => d["_id"].AsString));
    }

    [Fact]
    public async Task The_background_cleanup_deletes_expired_sessions_of_a_running_app()
    {
        Host.Dispose();
        using var host = CreateHost(new Dictionary<string, string?> { ["Bff:Session:CleanupInterval"] = "00:00:00.050" });
        var store = host.Services.GetRequiredService<IInternalSessionStore>();
        await store.SaveAsync(Session("expired"));
        await store.SaveAsync(Session("live") with { IdleExpires = Clock.GetUtcNow().AddHours(2) });
        Clock.Advance(TimeSpan.FromHours(1));
        var sessions = host.Services.GetRequiredService<BffDatabase>().Database.GetCollection(LiteDbSessionStorage.CollectionName);

        await host.StartAsync();
        try
        {
            // Generous deadline: this waits for the sweep to happen, it does not time it.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (sessions.Count() > 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Equal([SessionIndex.Key("live")], sessions.FindAll().Select(d => d["_id"].AsString));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
