using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Storage.PostgreSql;

/// <summary>
/// Applies a context's pending migrations when the host starts, if users live in PostgreSQL and
/// <see cref="UserStorageOptions.MigrateOnStartup"/> is on. Hosted services start before the
/// web server listens, so no request meets an old schema; a database that cannot be migrated fails
/// the start (the orchestrator restarts the instance) instead of serving errors. Instances starting
/// at once are serialized by EF Core's migration lock.
/// </summary>
/// <typeparam name="TContext">The context to migrate.</typeparam>
internal sealed class MigrateOnStartupService<TContext>(
    IServiceProvider services,
    IOptions<UserStorageOptions> options,
    ILogger<MigrateOnStartupService<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value is not { Users: UserStorageKind.PostgreSql, MigrateOnStartup: true })
        {
            return;
        }

        // Resolved only here: building the context factory loads EF Core and Npgsql and runs the
        // options, work an app whose users are in LiteDB must not pay on its start path.
        var contexts = services.GetRequiredService<IDbContextFactory<TContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        logger.Migrating(typeof(TContext).Name, pending.Count, pending);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
