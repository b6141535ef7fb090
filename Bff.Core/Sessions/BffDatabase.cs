using LiteDB;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Sessions;

/// <summary>
/// The one LiteDB database of the BFF (<c>ConnectionStrings:Bff</c>), shared by sessions, users and
/// any app data such as notes. Resolve it from dependency injection and take your own collections
/// with <see cref="GetAppCollection{T}"/>; never open the file yourself. The BFF's own collections
/// (sessions, users, seen logout tokens) are not handed out.
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

    /// <summary>The BFF's own collections, which an app may neither read nor change.</summary>
    private static readonly HashSet<string> OwnCollections = new(StringComparer.OrdinalIgnoreCase)
    {
        Internal.LiteDbSessionStorage.CollectionName,
        Users.Internal.LiteDbUserStore.CollectionName,
        Logout.Internal.LiteDbLogoutTokenReplayCache.CollectionName,
    };

    /// <summary>The open database, for the BFF's own stores.</summary>
    internal ILiteDatabase Database => _database;

    /// <summary>
    /// An app's own collection in the BFF's database, e.g. <c>GetAppCollection&lt;NoteDocument&gt;("notes")</c>.
    /// Compute query values before building LiteDB expressions.
    /// </summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="name">The collection's name; not one of the BFF's own (<c>sessions</c>, <c>users</c>, <c>logout_token_ids</c>).</param>
    /// <exception cref="ArgumentException">The name is one of the BFF's own collections.</exception>
    public ILiteCollection<T> GetAppCollection<T>(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (OwnCollections.Contains(name))
        {
            throw new ArgumentException($"The collection '{name}' belongs to the BFF; choose another name for app data.", nameof(name));
        }

        return _database.GetCollection<T>(name);
    }

    /// <summary>Closes the database file.</summary>
    public void Dispose() => _database.Dispose();
}
