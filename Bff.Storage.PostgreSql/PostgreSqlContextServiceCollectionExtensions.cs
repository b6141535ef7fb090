using Bff.Storage.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers an app's own EF Core context on the users' PostgreSQL database, with the BFF's Npgsql
/// settings. Kept apart from <see cref="PostgreSqlServiceCollectionExtensions"/>: naming EF Core's
/// types loads EF Core, which an app on LiteDB must not pay for.
/// </summary>
public static class PostgreSqlContextServiceCollectionExtensions
{
    /// <summary>
    /// When <c>Bff:Storage:Users</c> is <c>PostgreSql</c> (read from <paramref name="configuration"/>
    /// now, as <see cref="PostgreSqlServiceCollectionExtensions.AddBffUserStorage"/> does), registers a pooled factory of
    /// <typeparamref name="TContext"/> on <c>ConnectionStrings:Users</c> (read when first used) with the
    /// BFF's Npgsql settings, and applies its migrations at start-up when
    /// <c>Bff:Storage:MigrateOnStartup</c> is on: for an app's own data beside the users (the sample
    /// app's notes do this). On LiteDB it registers nothing: the app's code must then not ask for
    /// the context (choose its store with <see cref="UserStorageOptions.ChosenIn"/>).
    /// </summary>
    /// <typeparam name="TContext">The app's context.</typeparam>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration, complete.</param>
    /// <param name="schema">The context's schema.</param>
    /// <param name="historyTable">Its migrations history table, in <paramref name="schema"/>.</param>
    public static IServiceCollection AddBffPostgreSqlContext<TContext>(this IServiceCollection services, IConfiguration configuration, string schema, string historyTable)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (UserStorageOptions.ChosenIn(configuration) == UserStorageKind.PostgreSql)
        {
            AddContext<TContext>(services, configuration, schema, historyTable);
        }

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

    /// <summary>A pooled factory of <typeparamref name="TContext"/> on <c>ConnectionStrings:Users</c> (read when first used), and its migrations at start-up.</summary>
    internal static void AddContext<TContext>(IServiceCollection services, IConfiguration configuration, string schema, string historyTable)
        where TContext : DbContext
    {
        services.AddPooledDbContextFactory<TContext>(options =>
            options.UseBffPostgreSql(configuration.GetConnectionString(UserStorageOptions.ConnectionStringName) ?? "", schema, historyTable));
        services.AddHostedService<MigrateOnStartupService<TContext>>();
    }
}
