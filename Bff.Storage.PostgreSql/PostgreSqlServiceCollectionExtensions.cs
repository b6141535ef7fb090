using Bff.Storage.PostgreSql;
using Bff.Storage.PostgreSql.Users;
using Bff.Users;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the BFF's users on PostgreSQL, chosen by configuration.</summary>
/// <remarks>
/// Important: this class names no EF Core type, not even as a generic constraint (the runtime loads
/// a constraint's assembly with the class that declares the method), so that an app on LiteDB that
/// calls <see cref="AddBffUserStorage"/> never loads EF Core or Npgsql. What does name them lives in
/// <see cref="PostgreSqlContextServiceCollectionExtensions"/> and in the internal registration called on PostgreSQL only.
/// </remarks>
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
            PostgreSqlUsersRegistration.Add(services, configuration, previous);
        }

        return services;
    }
}
