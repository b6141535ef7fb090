using Bff.Health;
using Bff.Storage.PostgreSql;
using Bff.Storage.PostgreSql.Users;
using Bff.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the BFF's users on PostgreSQL, chosen by configuration.</summary>
public static class PostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Bff:Storage</c>; when <c>Bff:Storage:Users</c> is <c>PostgreSql</c>, local users live
    /// in PostgreSQL (<c>ConnectionStrings:Users</c>, <see cref="BffUsersDbContext"/>) instead of the
    /// store registered before (LiteDB, by <c>AddBff</c>, which must come first), <c>/health/ready</c>
    /// reports the database, and with <c>Bff:Storage:MigrateOnStartup</c> the shipped migrations are
    /// applied before the app serves requests. The choice is read when services are resolved, so
    /// configuration added after this call counts.
    /// </summary>
    /// <param name="services">The app's services, after <c>AddBff</c>.</param>
    /// <param name="configuration">The app's configuration.</param>
    public static IServiceCollection AddBffUserStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IUserStore))
            ?? throw new InvalidOperationException("Call AddBff before AddBffUserStorage: the LiteDB user store it registers is the default.");

        services.AddOptions<UserStorageOptions>()
            .Bind(configuration.GetSection(UserStorageOptions.SectionName))
            .Validate(
                options => options.Users != UserStorageKind.PostgreSql || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(UserStorageOptions.ConnectionStringName)),
                "Bff:Storage:Users is PostgreSql, but ConnectionStrings:Users is empty: set it to an Npgsql connection string, " +
                "e.g. Host=db;Database=bff;Username=bff;Password=... (environment variable ConnectionStrings__Users).")
            .ValidateOnStart();
        services.AddBffPostgreSqlContext<BffUsersDbContext>(configuration, BffUsersDbContext.Schema, BffUsersDbContext.MigrationsHistoryTable);

        services.Remove(previous);
        services.AddSingleton<IUserStore>(provider => provider.GetRequiredService<IOptions<UserStorageOptions>>().Value.Users == UserStorageKind.PostgreSql
            ? ActivatorUtilities.CreateInstance<PostgreSqlUserStore>(provider)
            : Create(provider, previous));

        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<UserStorageOptions>>((health, storage) =>
        {
            if (storage.Value.Users == UserStorageKind.PostgreSql)
            {
                health.Registrations.Add(new HealthCheckRegistration(
                    BffHealthChecks.PostgreSql,
                    provider => ActivatorUtilities.CreateInstance<PostgreSqlHealthCheck<BffUsersDbContext>>(provider),
                    HealthStatus.Unhealthy,
                    [BffHealthChecks.ReadyTag]));
            }
        });
        return services;
    }

    /// <summary>
    /// Registers a pooled factory of <typeparamref name="TContext"/> on <c>ConnectionStrings:Users</c>
    /// (read when first used) with the BFF's Npgsql settings, and applies its migrations at start-up
    /// when users live in PostgreSQL and <c>Bff:Storage:MigrateOnStartup</c> is on: for an app's own
    /// data beside the users (the sample app's notes do this).
    /// </summary>
    /// <typeparam name="TContext">The app's context.</typeparam>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration.</param>
    /// <param name="schema">The context's schema.</param>
    /// <param name="historyTable">Its migrations history table, in <paramref name="schema"/>.</param>
    public static IServiceCollection AddBffPostgreSqlContext<TContext>(this IServiceCollection services, IConfiguration configuration, string schema, string historyTable)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddPooledDbContextFactory<TContext>(options =>
            options.UseBffPostgreSql(configuration.GetConnectionString(UserStorageOptions.ConnectionStringName) ?? "", schema, historyTable));
        services.AddHostedService<MigrateOnStartupService<TContext>>();
        return services;
    }

    /// <summary>
    /// Npgsql with the settings every context of the BFF uses: its own schema and migrations history
    /// table, and retries on transient failures (a database restart must not fail the first request).
    /// </summary>
    /// <param name="options">The context's options.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The context's schema.</param>
    /// <param name="historyTable">Its migrations history table, in <paramref name="schema"/>.</param>
    public static DbContextOptionsBuilder UseBffPostgreSql(this DbContextOptionsBuilder options, string connectionString, string schema, string historyTable)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsHistoryTable(historyTable, schema)
            .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null));
    }

    private static IUserStore Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as IUserStore
        ?? descriptor.ImplementationFactory?.Invoke(provider) as IUserStore
        ?? (IUserStore)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}
