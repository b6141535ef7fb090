using LiteDB;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Sessions;

/// <summary>
/// The one LiteDB database of the BFF (<c>ConnectionStrings:Bff</c>), shared by sessions, users and
/// any app data such as notes. Resolve it from dependency injection; never open the file yourself.
/// </summary>
/// <remarks>
/// Important: LiteDB 5 allows one <see cref="LiteDatabase"/> per file per process; two direct-mode
/// instances on one file corrupt it. That is why this is a singleton and the only opener.
/// </remarks>
public sealed class BffDatabase : IDisposable
{
    private readonly LiteDatabase _database;

    /// <summary>Opens the database named by <see cref="BffStorageOptions.ConnectionString"/>.</summary>
    public BffDatabase(IOptions<BffStorageOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var connection = new ConnectionString(options.Value.ConnectionString);
        if (!string.Equals(connection.Filename, ":memory:", StringComparison.Ordinal) && !string.Equals(connection.Filename, ":temp:", StringComparison.Ordinal))
        {
            connection.Filename = Path.GetFullPath(connection.Filename, environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(connection.Filename)!);
        }

        // Note: each database gets its own BsonMapper. LiteDB's shared BsonMapper.Global builds its
        // entity maps lazily without a lock, and two databases opened at once (several hosts in one
        // test process, or an app with two stores) raced on it: "Member X not found on BsonMapper".
        _database = new LiteDatabase(connection, new BsonMapper());
    }

    /// <summary>The open database. Compute query values before building LiteDB expressions.</summary>
    public ILiteDatabase Database => _database;

    /// <summary>Closes the database file.</summary>
    public void Dispose() => _database.Dispose();
}
