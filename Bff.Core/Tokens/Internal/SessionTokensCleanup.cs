using Bff.Sessions.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bff.Tokens.Internal;

/// <summary>
/// Removes the tokens exchanged for a session as soon as <see cref="SessionLifecycle"/> says it
/// ended, on every path that ends one, instead of leaving them in memory or Redis until they expire.
/// </summary>
internal sealed class SessionTokensCleanup(SessionLifecycle lifecycle, CachedTokens cache, ILogger<SessionTokensCleanup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifecycle.Ended += OnEnded;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lifecycle.Ended -= OnEnded;
        return Task.CompletedTask;
    }

    // The signal's handlers must not block: the removal runs on, and a storage outage is only logged.
    private void OnEnded(SessionEnded ended) => _ = RemoveAsync(ended.IndexKey);

    private async Task RemoveAsync(string indexKey)
    {
        try
        {
            await cache.RemoveSessionAsync(indexKey);
        }
        catch (Exception e) when (StorageOutage.Is(e))
        {
            logger.SessionTokensNotRemoved(e.GetType().Name);
        }
    }
}
