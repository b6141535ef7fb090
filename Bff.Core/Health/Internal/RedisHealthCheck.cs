using Bff.Sessions.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Bff.Health.Internal;

/// <summary>
/// Ready when Redis (<c>ConnectionStrings:Redis</c>) answers a PING within two seconds: without it
/// no session can be read, so a load balancer should send browsers to another instance.
/// </summary>
internal sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Resolved here: the connection belongs to the Redis session storage (or is the app's own), and a
        // configuration that names Redis without using it is "not ready", not a broken health endpoint.
        var redis = SessionStorageServiceCollectionExtensions.IsRedis(services)
            ? services.GetRequiredService<RedisConnection>().Multiplexer
            : services.GetService<IConnectionMultiplexer>();
        if (redis is null)
        {
            return HealthCheckResult.Unhealthy("ConnectionStrings:Redis is set but no Redis connection is registered (Bff:Storage:Sessions must be Redis).");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis (ConnectionStrings:Redis) does not answer.", e);
        }
    }
}
