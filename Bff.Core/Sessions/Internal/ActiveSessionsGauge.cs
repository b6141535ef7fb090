using Bff.Telemetry;

namespace Bff.Sessions.Internal;

/// <summary>
/// The value of <c>bff.sessions.active</c>: an observable gauge, read from the session storage only
/// when a collector asks (so nothing is spent without a listener), and at most once per
/// <see cref="CacheFor"/> however often it is scraped.
/// </summary>
/// <remarks>
/// Why a gauge read from the storage rather than an up/down counter of starts minus ends: sessions
/// also end by expiring with no request to notice it, and with several instances each process sees
/// only its own starts; the storage is the one place that knows. Storages that cannot count cheaply
/// (Redis, where sessions are expiring keys) report no value rather than a wrong one.
/// </remarks>
internal sealed class ActiveSessionsGauge(ISessionStorage storage, TimeProvider time) : IActiveSessionsSource
{
    internal static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _value;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public IEnumerable<System.Diagnostics.Metrics.Measurement<long>> Observe()
    {
        if (storage is not ISessionStorageCount count)
        {
            return [];
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _readAt >= CacheFor)
            {
                _value = count.CountLive(now);
                _readAt = now;
            }

            return [new(_value)];
        }
    }
}
