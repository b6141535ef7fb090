using Bff.Tests.TestInfra;
using Bff.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Tests.Storage;

/// <summary><c>Bff:Storage:Users</c> chooses the user store when it is registered; a PostgreSQL choice without its connection string, or a choice changed after the registration, stops start-up.</summary>
public sealed class UserStorageConfigurationTests
{
    [Fact]
    public void Users_stay_in_LiteDB_by_default()
    {
        using var folder = new BffTempFolder();
        using var host = Host(folder, []);

        Assert.Equal("LiteDbUserStore", host.Services.GetRequiredService<IUserStore>().GetType().Name);
    }

    [Fact]
    public void PostgreSql_chooses_the_EF_Core_store()
    {
        using var folder = new BffTempFolder();
        using var host = Host(folder, new() { ["Bff:Storage:Users"] = "PostgreSql", ["ConnectionStrings:Users"] = "Host=127.0.0.1;Database=x;Username=bff" });

        Assert.Equal("PostgreSqlUserStore", host.Services.GetRequiredService<IUserStore>().GetType().Name);
    }

    [Fact]
    public async Task PostgreSql_without_a_connection_string_stops_start_up_naming_the_key()
    {
        using var folder = new BffTempFolder();
        using var host = Host(folder, new() { ["Bff:Storage:Users"] = "PostgreSql" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionStrings:Users", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_choice_changed_after_the_registration_stops_start_up_naming_the_key()
    {
        // The registration reads the choice once, to register EF Core only when it is used; a later
        // change would otherwise leave users silently in the store registered first.
        using var folder = new BffTempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        using var host = BffServices.CreateHost(folder, afterBff: services => services.AddBffUserStorage(configuration));
        configuration["Bff:Storage:Users"] = "PostgreSql";
        configuration["ConnectionStrings:Users"] = "Host=127.0.0.1;Database=x;Username=bff";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Bff:Storage:Users was LiteDb when the user storage was registered", error.Message, StringComparison.Ordinal);
    }

    private static IHost Host(BffTempFolder folder, Dictionary<string, string?> settings) =>
        BffServices.CreateHost(folder, settings, afterBff: services =>
            services.AddBffUserStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
}
