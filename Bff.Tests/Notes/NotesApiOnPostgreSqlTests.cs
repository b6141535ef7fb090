using Bff.Tests.TestInfra.Servers;
using Npgsql;

namespace Bff.Tests.Notes;

/// <summary>
/// Every notes API test again with users and notes in PostgreSQL (<c>Bff:Storage:Users=PostgreSql</c>),
/// each test on a fresh database that the app migrates at start-up.
/// </summary>
public sealed class NotesApiOnPostgreSqlTests : NotesApiTests
{
    private string? _database;

    protected override async Task<IDictionary<string, string?>?> StorageSettingsAsync()
    {
        _database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        return new Dictionary<string, string?>
        {
            ["Bff:Storage:Users"] = "PostgreSql",
            ["Bff:Storage:MigrateOnStartup"] = "true",
            ["ConnectionStrings:Users"] = _database,
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await (await PostgresServer.SharedAsync()).DropDatabaseAsync(_database);
        }
    }

    [Fact]
    public async Task Notes_and_their_owner_are_rows_in_PostgreSQL()
    {
        var note = await CreateAsync(Alice, "Stored in PostgreSQL", "text");

        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT u.user_name FROM app.notes n JOIN bff.users u ON u.id::text = n.owner_id WHERE n.id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(note.GetProperty("id").GetString()!));
        Assert.Equal("alice", await command.ExecuteScalarAsync());
    }
}
