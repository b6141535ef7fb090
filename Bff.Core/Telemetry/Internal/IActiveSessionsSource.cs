using System.Diagnostics.Metrics;

namespace Bff.Telemetry.Internal;

/// <summary>
/// Where <c>bff.sessions.active</c> reads its value: the session storage, which lives in a layer above
/// the instruments, so the gauge asks through this rather than naming the storage.
/// </summary>
internal interface IActiveSessionsSource
{
    /// <summary>The live sessions now, or nothing when the storage cannot count them cheaply.</summary>
    IEnumerable<Measurement<long>> Observe();
}
