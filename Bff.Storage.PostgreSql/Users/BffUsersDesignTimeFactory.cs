using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Storage.PostgreSql.Users;

/// <summary>
/// How <c>dotnet ef</c> builds the context (adding a migration, <c>database update</c>,
/// <c>migrations script</c>): on <c>ConnectionStrings__Users</c> from the environment. Adding a
/// migration or writing a script needs no database; the placeholder is never connected to.
/// </summary>
internal sealed class BffUsersDesignTimeFactory : IDesignTimeDbContextFactory<BffUsersDbContext>
{
    public BffUsersDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Users") is { Length: > 0 } set
            ? set
            : "Host=localhost;Database=bff;Username=bff";
        var options = new DbContextOptionsBuilder<BffUsersDbContext>();
        options.UseBffPostgreSql(connectionString, BffUsersDbContext.Schema, BffUsersDbContext.MigrationsHistoryTable);
        return new BffUsersDbContext(options.Options);
    }
}
