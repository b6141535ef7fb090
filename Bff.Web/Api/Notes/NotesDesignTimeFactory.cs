using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bff.Web.Api.Notes;

/// <summary>How <c>dotnet ef</c> builds the notes context, on <c>ConnectionStrings__Users</c> from the environment (see BffUsersDesignTimeFactory).</summary>
internal sealed class NotesDesignTimeFactory : IDesignTimeDbContextFactory<NotesDbContext>
{
    public NotesDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Users") is { Length: > 0 } set
            ? set
            : "Host=localhost;Database=bff;Username=bff";
        var options = new DbContextOptionsBuilder<NotesDbContext>();
        options.UseBffPostgreSql(connectionString, NotesDbContext.Schema, NotesDbContext.MigrationsHistoryTable);
        return new NotesDbContext(options.Options);
    }
}
