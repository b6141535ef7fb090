using System.Net;
using Bff.Storage.PostgreSql.Users;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Health;

/// <summary>/health/ready with users in PostgreSQL: not ready while the database is away or its schema is behind.</summary>
public sealed class PostgreSqlReadinessTests
{
    [Fact]
    public async Task Ready_turns_503_while_PostgreSQL_is_down_and_200_when_it_is_back()
    {
        using var folder = new BffTempFolder();
        await using var postgres = await PostgresServer.StartPrivateAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var idp = await DiscoveryStandIn.StartAsync();
        await using var bff = await RunningBff.StartAsync(folder, idp.Authority, Settings(database, migrate: true));
        await AssertReadyAsync(bff, HttpStatusCode.OK);

        await postgres.StopAsync();
        await AssertReadyAsync(bff, HttpStatusCode.ServiceUnavailable);
        using (var live = await bff.Client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await postgres.StartAsync();
        await AssertReadyAsync(bff, HttpStatusCode.OK);
        Assert.Contains(bff.Log.Entries, e => e.Category.Contains("HealthCheck", StringComparison.Ordinal) && e.Message.Contains("bff-postgresql", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ready_is_503_until_the_schema_has_the_shipped_migrations()
    {
        using var folder = new BffTempFolder();
        var postgres = await PostgresServer.SharedAsync();
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            await using var idp = await DiscoveryStandIn.StartAsync();
            await using var bff = await RunningBff.StartAsync(folder, idp.Authority, Settings(database, migrate: false));
            await AssertReadyAsync(bff, HttpStatusCode.ServiceUnavailable);

            // What an operator's migration step does (dotnet ef database update, or the idempotent script).
            await using (var db = await bff.Services.GetRequiredService<IDbContextFactory<BffUsersDbContext>>().CreateDbContextAsync())
            {
                await db.Database.MigrateAsync();
            }

            await AssertReadyAsync(bff, HttpStatusCode.OK);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    private static Dictionary<string, string?> Settings(string database, bool migrate) => new()
    {
        ["Bff:Storage:Users"] = "PostgreSql",
        ["Bff:Storage:MigrateOnStartup"] = migrate ? "true" : "false",
        ["ConnectionStrings:Users"] = database,
    };

    /// <summary>Polls the probe until it answers <paramref name="expected"/> (pooled connections notice an outage on their next use).</summary>
    private static async Task AssertReadyAsync(RunningBff bff, HttpStatusCode expected)
    {
        var status = HttpStatusCode.InternalServerError;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            using var ready = await bff.Client.GetAsync("/health/ready");
            status = ready.StatusCode;
            if (status == expected)
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"/health/ready stayed {status}, expected {expected}.{Environment.NewLine}{bff.Log.Dump()}");
    }
}
