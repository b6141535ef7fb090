using System.Runtime.CompilerServices;
using Bff.Health;
using Bff.Storage.PostgreSql;
using Bff.Storage.PostgreSql.Users;
using Bff.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the BFF's users on PostgreSQL, chosen by configuration.</summary>
public static class PostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Bff:Storage</c>; when <c>Bff:Storage:Users</c> is <c>PostgreSql</c>, local users live
    /// in PostgreSQL (<c>ConnectionStrings:Users</c>, <see cref="BffUsersDbContext"/>) instead of the
    /// store registered before (LiteDB, by <c>AddBff</c>, which must come first), <c>/health/ready</c>
    /// reports the database, and with <c>Bff:Storage:MigrateOnStartup</c> the shipped migrations are
    /// applied before the app serves requests. The choice is read from <paramref name="configuration"/>
    /// when this is called, so call it once the configuration is complete (just before
    /// <c>Build</c>): on LiteDB nothing of EF Core or Npgsql is registered, so an app that does not
    /// use them never loads them. A host whose <c>Bff:Storage:Users</c> reads otherwise when it starts
    /// (configuration added after this call) fails its start with a message saying so.
    /// </summary>
    /// <param name="services">The app's services, after <c>AddBff</c>.</param>
    /// <param name="configuration">The app's configuration, complete.</param>
    public static IServiceCollection AddBffUserStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IUserStore))
            ?? throw new InvalidOperationException("Call AddBff before AddBffUserStorage: the LiteDB user store it registers is the default.");

        var chosen = UserStorageOptions.ChosenIn(configuration);
        services.AddOptions<UserStorageOptions>()
            .Bind(configuration.GetSection(UserStorageOptions.SectionName))
            .Validate(
                options => options.Users == chosen,
                $"Bff:Storage:Users was {chosen} when the user storage was registered (AddBffUserStorage), but reads otherwise now: " +
                "the configuration changed after the registration. Register the user storage once the configuration is complete.")
            .Validate(
                options => options.Users != UserStorageKind.PostgreSql || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(UserStorageOptions.ConnectionStringName)),
                "Bff:Storage:Users is PostgreSql, but ConnectionStrings:Users is empty: set it to an Npgsql connection string, " +
                "e.g. Host=db;Database=bff;Username=bff;Password=... (environment variable ConnectionStrings__Users).")
            .ValidateOnStart();
        if (chosen == UserStorageKind.PostgreSql)
        {
            AddPostgreSqlUsers(services, configuration, previous);
        }

        return services;
    }

    /// <summary>
    /// When <c>Bff:Storage:Users</c> is <c>PostgreSql</c> (read from <paramref name="configuration"/>
    /// now, as <see cref="AddBffUserStorage"/> does), registers a pooled factory of
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

    // Separate methods so that an app on LiteDB never runs, and so never binds, a call into EF Core.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddPostgreSqlUsers(IServiceCollection services, IConfiguration configuration, ServiceDescriptor previous)
    {
        AddContext<BffUsersDbContext>(services, configuration, BffUsersDbContext.Schema, BffUsersDbContext.MigrationsHistoryTable);
        services.Remove(previous);
        services.AddSingleton<IUserStore>(provider => ActivatorUtilities.CreateInstance<PostgreSqlUserStore>(provider));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            BffHealthChecks.PostgreSql,
            provider => ActivatorUtilities.CreateInstance<PostgreSqlHealthCheck<BffUsersDbContext>>(provider),
            HealthStatus.Unhealthy,
            [BffHealthChecks.ReadyTag]));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddContext<TContext>(IServiceCollection services, IConfiguration configuration, string schema, string historyTable)
        where TContext : DbContext
    {
        services.AddPooledDbContextFactory<TContext>(options =>
            options.UseBffPostgreSql(configuration.GetConnectionString(UserStorageOptions.ConnectionStringName) ?? "", schema, historyTable));
        services.AddHostedService<MigrateOnStartupService<TContext>>();
    }
}
