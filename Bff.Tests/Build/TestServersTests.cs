using System.Net;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Npgsql;
using StackExchange.Redis;

namespace Bff.Tests.Build;

/// <summary>
/// The server fixtures every Redis, PostgreSQL and multi-instance test builds on: a private server
/// keeps its data over a stop and a start (outage tests depend on it), databases keep tests apart,
/// and nginx really balances round-robin.
/// </summary>
public sealed class TestServersTests
{
    [Fact]
    public async Task A_private_Redis_keeps_its_keys_over_a_stop_and_a_start()
    {
        await using var redis = await RedisServer.StartPrivateAsync();
        var key = RedisServer.NewKeyPrefix() + "k";
        using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint))
        {
            Assert.True(await connection.GetDatabase().StringSetAsync(key, "kept"));
        }

        await redis.StopAsync();
        Assert.False(await redis.PingsAsync());
        await redis.StartAsync();

        using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint))
        {
            Assert.Equal("kept", (string?)await connection.GetDatabase().StringGetAsync(key));
        }
    }

    [Fact]
    public async Task The_shared_Redis_answers()
    {
        var redis = await RedisServer.SharedAsync();

        Assert.True(await redis.PingsAsync());
        Assert.NotEqual(RedisServer.NewKeyPrefix(), RedisServer.NewKeyPrefix());
    }

    [Fact]
    public async Task A_private_PostgreSQL_keeps_its_rows_over_a_stop_and_a_start()
    {
        await using var postgres = await PostgresServer.StartPrivateAsync();
        var database = await postgres.CreateDatabaseAsync();
        await ExecuteAsync(database, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('row')");

        await postgres.StopAsync();
        Assert.False(await postgres.AcceptsQueriesAsync());
        await postgres.StartAsync();

        Assert.Equal("row", await ExecuteAsync(database, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task Each_database_from_the_shared_PostgreSQL_is_empty_and_its_own()
    {
        var postgres = await PostgresServer.SharedAsync();
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();
        try
        {
            await ExecuteAsync(first, "CREATE TABLE only_here (v int)");

            Assert.Equal(0L, await ExecuteAsync(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
        }
        finally
        {
            await postgres.DropDatabaseAsync(first);
            await postgres.DropDatabaseAsync(second);
        }

        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(first, "SELECT 1"));
    }

    [Fact]
    public async Task Nginx_spreads_requests_round_robin_over_its_upstreams()
    {
        await using var one = await CapturingServer.StartAsync();
        await using var two = await CapturingServer.StartAsync();
        await using var nginx = await NginxServer.StartAsync([one.BaseAddress, two.BaseAddress]);
        using var http = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(30) };

        for (var i = 0; i < 6; i++)
        {
            using var response = await http.GetAsync(new Uri($"/r{i}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Round-robin: each upstream got three of the six, and no request was served twice.
        List<CapturedRequest> first = [await one.NextRequestAsync(), await one.NextRequestAsync(), await one.NextRequestAsync()];
        List<CapturedRequest> second = [await two.NextRequestAsync(), await two.NextRequestAsync(), await two.NextRequestAsync()];
        Assert.False(one.TryTake(out _));
        Assert.False(two.TryTake(out _));
        Assert.Equal(6, first.Concat(second).Select(r => r.Path).Distinct().Count());
        Assert.Equal(nginx.Address.Authority, first[0].Headers["Host"]);
        Assert.Equal("http", first[0].Headers["X-Forwarded-Proto"]);
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
