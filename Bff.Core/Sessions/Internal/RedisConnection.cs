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
    private readonly ConnectionMultiplexer? _opened;

    public RedisConnection(IServiceProvider provider, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(configuration);
        if (provider.GetService<IConnectionMultiplexer>() is { } registered)
        {
            Multiplexer = registered;
            return;
        }

        var options = ConfigurationOptions.Parse(configuration.GetConnectionString("Redis") ?? "");

        // Start-up and outages must not throw: the connection keeps retrying in the background, and
        // requests meanwhile get 503 answers instead of a process that never starts.
        options.AbortOnConnectFail = false;
        Multiplexer = _opened = ConnectionMultiplexer.Connect(options);
    }

    /// <summary>The connection.</summary>
    public IConnectionMultiplexer Multiplexer { get; }

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
    public void Dispose() => _opened?.Dispose();
}
