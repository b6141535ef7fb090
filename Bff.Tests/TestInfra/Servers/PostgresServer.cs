using System.Globalization;
using Npgsql;

namespace Bff.Tests.TestInfra.Servers;

/// <summary>
/// A PostgreSQL server for tests. <see cref="SharedAsync"/> is the one scripts/test.sh started
/// (<c>BFF_TEST_POSTGRES</c>, an Npgsql connection string of a superuser) or, without it, one private
/// server per test process; tests keep apart by <see cref="CreateDatabaseAsync"/> (a fresh database
/// each, see <see cref="PostgresDatabaseFixture"/>). <see cref="StartPrivateAsync"/> starts a server of
/// the test's own that it may stop and start again on the same data to play an outage.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root: as root (CI containers) the data folder is given to the
/// <c>postgres</c> user that Debian's package creates, and initdb and postgres run as that user.
/// </remarks>
public sealed class PostgresServer : RestartableServer
{
    private const string ServiceUser = "postgres";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync);

    private PostgresServer(string adminConnectionString, string? folder)
        : base("PostgreSQL", "BFF_TEST_POSTGRES", folder)
    {
        AdminConnectionString = adminConnectionString;
    }

    /// <summary>A superuser connection to the <c>postgres</c> database; tests create their databases through it.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The exported server, or one private server for the whole test process (never stopped by a test).</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>A server of the caller's own on a free port (fsync off: test data only); dispose it to stop and delete it.</summary>
    public static async Task<PostgresServer> StartPrivateAsync()
    {
        var folder = ServerProcess.NewFolder("postgres");
        var port = ServerProcess.FreePort();
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "bff",
            Database = "postgres",
            // A test that stops the server must not wait long for a pooled connection to notice.
            Timeout = 15,
            CommandTimeout = 60,
        };
        var server = new PostgresServer(connection.ConnectionString, folder);
        try
        {
            if (ServerProcess.IsRoot)
            {
                await ServerProcess.RunAsync("chown", ["-R", ServiceUser, folder]);
            }

            await ServerProcess.RunAsync(Binary("initdb"),
                ["-D", Path.Combine(folder, "data"), "-A", "trust", "-U", "bff", "-E", "UTF8", "--locale=C", "--no-sync"],
                ServiceUser);
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 17)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever still uses it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(90);

    protected override ServerProcess Launch(string folder) => ServerProcess.Start(Binary("postgres"),
        [
            "-D", Path.Combine(folder, "data"), "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=300",
        ], folder, ServiceUser, stopSignal: "INT");

    protected override Task<bool> AnswersAsync() => AcceptsQueriesAsync();

    private int Port => new NpgsqlConnectionStringBuilder(AdminConnectionString).Port;

    /// <summary>Stops the private server as an operator would (<c>pg_ctl stop -m fast</c>: open sessions are cut).</summary>
    public async Task StopAsync()
    {
        var process = Running("stop");
        await ServerProcess.RunAsync(Binary("pg_ctl"), ["-D", Path.Combine(Folder!, "data"), "-m", "fast", "-w", "stop"], ServiceUser);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>True when the server runs a query.</summary>
    public async Task<bool> AcceptsQueriesAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// A PostgreSQL server binary: <c>BFF_POSTGRES_BIN</c> (a folder) when set, else the newest
    /// Debian install under /usr/lib/postgresql, else PATH.
    /// </summary>
    private static string Binary(string name)
    {
        if (Environment.GetEnvironmentVariable("BFF_POSTGRES_BIN") is { Length: > 0 } folder)
        {
            return ServerProcess.FindBinary(null, name, Path.Combine(folder, name));
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Folder: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Folder, "bin", name))
                .ToArray()
            : [];
        return ServerProcess.FindBinary(null, name, debian);
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        if (Environment.GetEnvironmentVariable("BFF_TEST_POSTGRES") is { Length: > 0 } exported)
        {
            var server = new PostgresServer(exported, folder: null);
            return await server.AcceptsQueriesAsync()
                ? server
                : throw new InvalidOperationException("BFF_TEST_POSTGRES is set, but no PostgreSQL accepts queries there.");
        }

        // Killed with the test process (ServerProcess), never disposed by a test.
        return await StartPrivateAsync();
    }
}
