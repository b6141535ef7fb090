namespace Bff.Tests.TestInfra.Servers;

/// <summary>
/// A class fixture: a fresh, empty database on the shared PostgreSQL for one test class, dropped
/// afterwards. <c>IClassFixture&lt;PostgresDatabaseFixture&gt;</c>, then <see cref="ConnectionString"/>.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;

    public PostgresServer Server { get; private set; } = null!;

    /// <summary>The database's Npgsql connection string (<c>ConnectionStrings:Users</c>).</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.SharedAsync();
        _connectionString = await Server.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await Server.DropDatabaseAsync(_connectionString);
        }
    }
}
