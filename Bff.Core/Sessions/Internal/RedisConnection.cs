using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Bff.Sessions.Internal;

/// <summary>
/// The one Redis connection the BFF's Redis parts share (sessions, refresh leases, token cache, key
/// ring, replay cache): the app's <see cref="IConnectionMultiplexer"/> when it registered one, else one
/// opened on <c>ConnectionStrings:Redis</c> and closed with the app.
/// </summary>
/// <remarks>
/// Important: the BFF registers this holder, not <see cref="IConnectionMultiplexer"/> itself. A service
/// registration names its type, and naming any StackExchange.Redis type in code that every app runs
/// loads that assembly; an app on LiteDB should not map Redis's client into memory. The holder is
/// created only by the Redis parts, which are built only when <c>Bff:Storage:Sessions</c> is Redis.
/// </remarks>
internal sealed class RedisConnection : IDisposable
{
    private readonly IConnectionMultiplexer? _registered;
    private readonly Task<ConnectionMultiplexer>? _connecting;

    public RedisConnection(IServiceProvider provider, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(configuration);
        if (provider.GetService<IConnectionMultiplexer>() is { } registered)
        {
            _registered = registered;
            return;
        }

        var options = ConfigurationOptions.Parse(configuration.GetConnectionString("Redis") ?? "");

        // Start-up and outages must not throw: the connection keeps retrying in the background, and
        // requests meanwhile get 503 answers instead of a process that never starts.
        options.AbortOnConnectFail = false;

        // Connected off the caller's thread: the key ring's set-up creates this holder while the app is
        // still mapping its endpoints, and the first read of the key ring comes only when the host
        // starts, so the connection's handshake runs meanwhile instead of blocking start-up for it.
        _connecting = Task.Run(() => ConnectionMultiplexer.ConnectAsync(options));
    }

    /// <summary>The connection (waits for the BFF's own to have made its first attempt).</summary>
    public IConnectionMultiplexer Multiplexer => _registered ?? _connecting!.GetAwaiter().GetResult();

    /// <summary>
    /// Why <paramref name="connectionString"/> is not a StackExchange.Redis configuration, or
    /// <see langword="null"/> when it is (for the options check, which runs only with Redis storage).
    /// </summary>
    public static string? ConfigurationError(string connectionString)
    {
        try
        {
            ConfigurationOptions.Parse(connectionString);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Closes the connection if it is the BFF's own; an app's registered one is the app's to close.</summary>
    public void Dispose() =>
        // Run at once when the first attempt has ended; while it is still on, the connection is closed when
        // it ends, without holding up the shutdown.
        _connecting?.ContinueWith(
            connecting =>
            {
                if (connecting.IsCompletedSuccessfully)
                {
                    connecting.Result.Dispose();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
