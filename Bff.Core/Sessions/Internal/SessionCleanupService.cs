using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>
/// Deletes expired sessions every <see cref="BffSessionOptions.CleanupInterval"/>, when the storage
/// needs it (<see cref="ISessionStorageCleanup"/>), and drops expired sessions from memory.
/// </summary>
internal sealed class SessionCleanupService(
    ISessionStorage storage,
    ProtectedServerSessionStore sessions,
    IOptionsMonitor<SessionSettings> options,
    TimeProvider time,
    ILogger<SessionCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A storage whose sessions expire by themselves (Redis keys) does not implement cleanup.
        var cleanup = storage as ISessionStorageCleanup;
        using var timer = new PeriodicTimer(options.CurrentValue.Session.CleanupInterval, time);
        do
        {
            // The memory needs no invalidation here: an expired session never comes back to life
            // (renewal refuses expired sessions), and cache hits check expiry; this frees the memory.
            sessions.ForgetExpired();
            if (cleanup is null)
            {
                continue;
            }

            try
            {
                var count = await cleanup.DeleteExpiredAsync(stoppingToken).ConfigureAwait(false);
                if (count > 0)
                {
                    logger.ExpiredSessionsDeleted(count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever the storage throws, the sweep runs again at the next tick.
                logger.CleanupFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
