using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Storage.PostgreSql;

/// <summary>
/// Ready when the context's PostgreSQL database answers and its schema has every shipped migration
/// (an instance on an old schema would fail its first login, so the load balancer must not send it any).
/// </summary>
/// <typeparam name="TContext">The context whose database and migrations are checked.</typeparam>
internal sealed class PostgreSqlHealthCheck<TContext>(IDbContextFactory<TContext> contexts) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // A probe must answer quickly, database down or not: no retries past a few seconds.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await using var db = await contexts.CreateDbContextAsync(timeout.Token).ConfigureAwait(false);
            if (!await db.Database.CanConnectAsync(timeout.Token).ConfigureAwait(false))
            {
                return HealthCheckResult.Unhealthy("PostgreSQL (ConnectionStrings:Users) cannot be reached.");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(timeout.Token).ConfigureAwait(false)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The PostgreSQL schema lacks {pending} migration(s): set Bff:Storage:MigrateOnStartup=true or apply them (docs/operations.md).");
        }
#pragma warning disable CA1031 // Any failure to reach or read the database means "not ready", never a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("PostgreSQL (ConnectionStrings:Users) cannot be read.", ex);
        }
    }
}
