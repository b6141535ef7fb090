using Bff.Telemetry.Internal;

namespace Bff.Sessions.Internal;

/// <summary>
/// The value of <c>bff.sessions.active</c>: an observable gauge, read from the session storage only
/// when a collector asks (so nothing is spent without a listener), and at most once per
/// <see cref="CacheFor"/> however often it is scraped.
/// </summary>
/// <remarks>
/// Why a gauge read from the storage rather than an up/down counter of starts minus ends: sessions
/// also end by expiring with no request to notice it, and with several instances each process sees
/// only its own starts; the storage is the one place that knows (LiteDB: an index range; Redis: a sorted
/// set of the sessions by expiry). A storage that cannot count, or cannot be reached, reports no value
/// rather than a wrong one.
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
                try
                {
                    _value = count.CountLive(now);
                }
                catch (Exception ex) when (StorageOutage.Is(ex))
                {
                    return [];
                }

                _readAt = now;
            }

            return [new(_value)];
        }
    }
}
