using Bff.Storage.PostgreSql.Users;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Bff.Tests.Users;
using Bff.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Storage;

/// <summary>
/// The user store on a real PostgreSQL (a fresh database per test), as several BFF instances use it:
/// the store contract, and the races between instances that the unique index must settle.
/// </summary>
public sealed class PostgreSqlUserStoreTests : UserStoreContract
{
    private readonly List<IHost> _hosts = [];
    private readonly List<BffTempFolder> _folders = [];
    private string _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        await (await PostgresServer.SharedAsync()).DropDatabaseAsync(_database);
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }

    protected override async Task<IUserStore> CreateStoreAsync() => (await StartInstanceAsync()).GetRequiredService<IUserStore>();

    /// <summary>One BFF instance's services on the test's database (its own LiteDB file for sessions), migrated.</summary>
    private async Task<IServiceProvider> StartInstanceAsync(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bff:Storage:Users"] = "PostgreSql",
            ["Bff:Storage:MigrateOnStartup"] = "true",
            ["ConnectionStrings:Users"] = _database,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var folder = new BffTempFolder();
        _folders.Add(folder);
        var host = BffServices.CreateHost(folder, settings, afterBff: services => services.AddBffUserStorage(Configuration(settings)));
        _hosts.Add(host);
        await host.StartAsync();
        return host.Services;
    }

    [Fact]
    public async Task Many_concurrent_creates_of_one_account_make_one_row_and_every_caller_gets_it()
    {
        var instances = new[] { Store, (await StartInstanceAsync()).GetRequiredService<IUserStore>() };

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => instances[i % 2].SaveAsync(NewUser("carol", "sub-carol", "carol@example.com")))));

        var row = Assert.Single(await Store.ListAsync());
        Assert.All(results, r => Assert.Equal(row.Id, r.Id));
        Assert.Equal(row.Id, (await Store.FindBySubjectAsync(Issuer, "sub-carol"))?.Id);
    }

    [Fact]
    public async Task A_user_linked_to_one_account_cannot_be_overwritten_for_another()
    {
        var imported = await Store.SaveAsync(NewUser("dave.from.django", email: "dave@example.com"));
        await Store.SaveAsync(imported with { Issuer = Issuer, Subject = "sub-dave" });

        await Assert.ThrowsAsync<UserConflictException>(() => Store.SaveAsync(imported with { Issuer = Issuer, Subject = "sub-mallory" }));

        Assert.Equal("sub-dave", (await Store.GetAsync(imported.Id))?.Subject);
    }

    [Fact]
    public async Task First_logins_on_two_instances_at_once_map_each_account_to_one_user()
    {
        var mappers = new[] { Mapper(await StartInstanceAsync()), Mapper(await StartInstanceAsync()) };
        var logins = Enumerable.Range(0, 10).Select(i => Login($"user{i}")).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => mappers[i % 2].MapAsync(logins[i % logins.Count]))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Description));
        var users = await Store.ListAsync();
        Assert.Equal(10, users.Count);
        Assert.Equal(10, results.Select(r => r.User!.Id).Distinct().Count());
    }

    [Fact]
    public async Task Two_accounts_linking_one_imported_user_on_two_instances_link_it_once()
    {
        var imported = await Store.SaveAsync(NewUser("erin.from.django", email: "erin@example.com"));
        var settings = new Dictionary<string, string?> { ["Bff:Users:LinkExistingBy"] = "Email" };
        var mappers = new[] { Mapper(await StartInstanceAsync(settings)), Mapper(await StartInstanceAsync(settings)) };

        // Two accounts at the provider with the same verified address (Keycloak allows it when
        // duplicate emails are on); both instances see the imported user unlinked at once.
        var results = await Task.WhenAll(
            Task.Run(() => mappers[0].MapAsync(Login("erin", "erin@example.com"))),
            Task.Run(() => mappers[1].MapAsync(Login("erin2", "erin@example.com"))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Description));
        var linked = await Store.GetAsync(imported.Id);
        var owner = results.Single(r => r.User!.Id == imported.Id);
        Assert.Equal(owner.User!.Subject, linked?.Subject);
        Assert.Equal(2, (await Store.ListAsync()).Count);
    }

    [Fact]
    public async Task The_shipped_migrations_create_the_documented_schema_and_match_the_model()
    {
        var services = await StartInstanceAsync();
        await using var db = await services.GetRequiredService<IDbContextFactory<BffUsersDbContext>>().CreateDbContextAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run dotnet ef migrations add (docs/operations.md).");
        var columns = await db.Database.SqlQueryRaw<string>(
            "SELECT column_name || ' ' || data_type AS \"Value\" FROM information_schema.columns WHERE table_schema = 'bff' AND table_name = 'users' ORDER BY ordinal_position").ToListAsync();
        Assert.Equal(
            ["id uuid", "issuer text", "subject text", "user_name text", "normalized_user_name text", "first_name text", "last_name text", "email text",
             "normalized_email text", "email_verified boolean", "roles ARRAY", "groups ARRAY", "created timestamp with time zone", "last_login timestamp with time zone"],
            columns);
        var indexes = await db.Database.SqlQueryRaw<string>(
            "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE schemaname = 'bff' AND tablename = 'users' ORDER BY indexname").ToListAsync();
        Assert.Contains("CREATE UNIQUE INDEX ux_users_issuer_subject ON bff.users USING btree (issuer, subject)", indexes);
        Assert.Contains("CREATE INDEX ix_users_normalized_email ON bff.users USING btree (normalized_email)", indexes);
        Assert.Contains("CREATE INDEX ix_users_normalized_user_name ON bff.users USING btree (normalized_user_name)", indexes);
        Assert.Contains("CREATE UNIQUE INDEX pk_users ON bff.users USING btree (id)", indexes);
    }

    private static IUserMapper Mapper(IServiceProvider services) => services.GetRequiredService<IUserMapper>();

    private static UserLoginInfo Login(string userName, string? email = null) =>
        new(Issuer, "sub-" + userName, userName, "First", "Last", email, email is not null, ["user"], []);

    private static IConfiguration Configuration(IDictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
