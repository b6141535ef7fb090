using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Bff.Tests.TestInfra.Servers;

/// <summary>
/// A Redis server for tests. <see cref="SharedAsync"/> is the one scripts/test.sh started
/// (<c>BFF_TEST_REDIS</c>, host:port) or, without it, one private server per test process; tests share
/// it and keep apart by <see cref="NewKeyPrefix"/>. <see cref="StartPrivateAsync"/> starts a server of
/// the test's own, with the append-only file on, that it may stop and start again on the same data to
/// play an outage.
/// </summary>
public sealed class RedisServer : RestartableServer
{
    private static readonly Lazy<Task<RedisServer>> Shared = new(StartSharedAsync);

    private RedisServer(string host, int port, string? folder)
        : base("Redis", "BFF_TEST_REDIS", folder)
    {
        Host = host;
        Port = port;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>host:port, a StackExchange.Redis configuration string (<c>ConnectionStrings:Redis</c>).</summary>
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The exported server, or one private server for the whole test process (never stopped by a test).</summary>
    public static Task<RedisServer> SharedAsync() => Shared.Value;

    /// <summary>A server of the caller's own on a free port, append-only file on; dispose it to stop and delete it.</summary>
    public static async Task<RedisServer> StartPrivateAsync()
    {
        var server = new RedisServer("127.0.0.1", ServerProcess.FreePort(), ServerProcess.NewFolder("redis"));
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A key prefix no other test uses, e.g. <c>t3f2a...:</c>.</summary>
    public static string NewKeyPrefix() => $"t{Guid.NewGuid():N}:";

    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(60);

    protected override ServerProcess Launch(string folder) => ServerProcess.Start(
        ServerProcess.FindBinary("BFF_REDIS_SERVER", "redis-server", "/usr/bin/redis-server"),
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder,
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no",
            "--pidfile", Path.Combine(folder, "redis.pid"), "--logfile", "",
        ], folder);

    protected override Task<bool> AnswersAsync() => PingsAsync();

    /// <summary>
    /// Stops the private server as an operator would (<c>SHUTDOWN</c>: the append-only file is flushed),
    /// so that <see cref="RestartableServer.StartAsync"/> brings back every key.
    /// </summary>
    public async Task StopAsync()
    {
        var process = Running("stop");
        try
        {
            await SendAsync("SHUTDOWN\r\n");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            // Closed the connection while shutting down, as it does.
        }

        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>True when the server answers PING.</summary>
    public async Task<bool> PingsAsync()
    {
        try
        {
            return (await SendAsync("PING\r\n")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One inline command over RESP, returning the first reply line (enough for PING and SHUTDOWN).</summary>
    private async Task<string> SendAsync(string command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(Host, Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command), timeout.Token);
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private static async Task<RedisServer> StartSharedAsync()
    {
        if (Environment.GetEnvironmentVariable("BFF_TEST_REDIS") is { Length: > 0 } exported)
        {
            var colon = exported.LastIndexOf(':');
            var server = colon > 0 && int.TryParse(exported[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                ? new RedisServer(exported[..colon], port, folder: null)
                : throw new InvalidOperationException($"BFF_TEST_REDIS={exported}: expected host:port, e.g. 127.0.0.1:6379.");
            return await server.PingsAsync()
                ? server
                : throw new InvalidOperationException($"BFF_TEST_REDIS={exported}: no Redis answers PING there.");
        }

        // Killed with the test process (ServerProcess), never disposed by a test.
        return await StartPrivateAsync();
    }
}
