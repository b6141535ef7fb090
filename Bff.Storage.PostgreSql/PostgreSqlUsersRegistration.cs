using Bff.Health;
using Bff.Storage.PostgreSql.Users;
using Bff.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bff.Storage.PostgreSql;

/// <summary>
/// The registrations of users on PostgreSQL, made only when <c>Bff:Storage:Users</c> is <c>PostgreSql</c>:
/// a class of its own, so that the class calling it names no EF Core type. It declares no method
/// constrained to an EF Core type either: calling into it would load EF Core with it.
/// </summary>
internal static class PostgreSqlUsersRegistration
{
    /// <summary>The users' context, the PostgreSQL user store in place of <paramref name="previous"/>, and its readiness check.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, ServiceDescriptor previous)
    {
        PostgreSqlContextServiceCollectionExtensions.AddContext<BffUsersDbContext>(services, configuration, BffUsersDbContext.Schema, BffUsersDbContext.MigrationsHistoryTable);
        services.Remove(previous);
        services.AddSingleton<IUserStore>(provider => ActivatorUtilities.CreateInstance<PostgreSqlUserStore>(provider));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            BffHealthChecks.PostgreSql,
            provider => ActivatorUtilities.CreateInstance<PostgreSqlHealthCheck<BffUsersDbContext>>(provider),
            HealthStatus.Unhealthy,
            [BffHealthChecks.ReadyTag]));
    }
}
