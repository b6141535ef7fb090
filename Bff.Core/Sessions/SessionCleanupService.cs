using Bff.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Sessions;

/// <summary>Deletes expired sessions every <see cref="BffSessionOptions.CleanupInterval"/>.</summary>
internal sealed class SessionCleanupService(
    IServerSessionStore store,
    IOptionsMonitor<BffOptions> options,
    TimeProvider time,
    ILogger<SessionCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only the built-in store knows how to sweep; a replaced store owns its own expiry.
        if (store is not LiteDbServerSessionStore liteDb)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.CurrentValue.Session.CleanupInterval, time);
        do
        {
            try
            {
                var count = liteDb.DeleteExpired();
                if (count > 0)
                {
                    logger.ExpiredSessionsDeleted(count);
                }
            }
            catch (LiteDB.LiteException ex)
            {
                logger.CleanupFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
