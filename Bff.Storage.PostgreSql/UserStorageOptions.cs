using Microsoft.Extensions.Configuration;

namespace Bff.Storage.PostgreSql;

/// <summary>Where the BFF keeps its local users (section <c>Bff:Storage</c>).</summary>
public sealed class UserStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Bff:Storage";

    /// <summary>The connection string name of the PostgreSQL database (<c>ConnectionStrings:Users</c>).</summary>
    public const string ConnectionStringName = "Users";

    /// <summary>
    /// The users' store (<c>Bff:Storage:Users</c>): <see cref="UserStorageKind.LiteDb"/>, the BFF's one
    /// database file, for one instance; <see cref="UserStorageKind.PostgreSql"/>
    /// (<c>ConnectionStrings:Users</c>) for several. Defaults to <see cref="UserStorageKind.LiteDb"/>.
    /// </summary>
    public UserStorageKind Users { get; set; } = UserStorageKind.LiteDb;

    /// <summary>
    /// Whether the app applies the shipped EF Core migrations to the PostgreSQL database before it
    /// serves requests (<c>Bff:Storage:MigrateOnStartup</c>); instances starting together take
    /// turns on a database lock. Off, the schema is an operator's step (docs/operations.md) and
    /// <c>/health/ready</c> fails while migrations are pending. Defaults to <see langword="false"/>.
    /// </summary>
    public bool MigrateOnStartup { get; set; }

    /// <summary>
    /// The store <paramref name="configuration"/> names in <c>Bff:Storage:Users</c> now, as the
    /// registrations read it to choose what to register (<see cref="UserStorageKind.LiteDb"/> when unset).
    /// An app that registers its own EF Core context beside the users' reads its choice here.
    /// </summary>
    /// <param name="configuration">The app's configuration, complete.</param>
    public static UserStorageKind ChosenIn(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SectionName).GetValue(nameof(Users), UserStorageKind.LiteDb);
    }
}

/// <summary>The stores local users can live in.</summary>
public enum UserStorageKind
{
    /// <summary>The BFF's LiteDB database (<c>ConnectionStrings:Bff</c>): one instance only.</summary>
    LiteDb,

    /// <summary>PostgreSQL through EF Core (<c>ConnectionStrings:Users</c>): any number of instances.</summary>
    PostgreSql,
}
