using System.Net.Sockets;
using System.Text;

namespace Bff.Tests.TestInfra.Servers;

/// <summary>
/// Everything a Redis server executes, as its <c>MONITOR</c> command shows it to an administrator:
/// every command with its key names and arguments, including those run inside Lua scripts and every
/// <c>PUBLISH</c>. What a test reads here is what anyone with that access would read.
/// </summary>
/// <remarks>
/// A plain socket speaking the protocol's two lines, because StackExchange.Redis does not offer
/// <c>MONITOR</c>. Binary arguments arrive escaped (<c>\xHH</c>), printable ASCII as it is.
/// </remarks>
public sealed class RedisMonitor : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly StringBuilder _seen = new();
    private readonly Lock _gate = new();
    private readonly Task _reading;

    private RedisMonitor(TcpClient client, StreamReader reader)
    {
        _client = client;
        _reader = reader;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Starts monitoring; every command the server runs after this returns is seen.</summary>
    public static async Task<RedisMonitor> StartAsync(RedisServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.Latin1);
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first != "+OK")
        {
            client.Dispose();
            throw new InvalidOperationException($"MONITOR answered '{first}'.");
        }

        return new RedisMonitor(client, reader);
    }

    /// <summary>What was seen so far, one command a line.</summary>
    public string Seen
    {
        get
        {
            lock (_gate)
            {
                return _seen.ToString();
            }
        }
    }

    /// <summary>Waits until a command containing <paramref name="text"/> was seen (commands arrive a little after they ran).</summary>
    public async Task<string> WaitForAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Seen.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"MONITOR never showed '{text}'.");
            await Task.Delay(50);
        }

        return Seen;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The socket was closed under the reader: that is how monitoring stops.
        }

        _reader.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _seen.Append(line).Append('\n');
            }
        }
    }
}
