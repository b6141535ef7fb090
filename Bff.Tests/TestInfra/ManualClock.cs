namespace Bff.Tests.TestInfra;

/// <summary>A clock tests move by hand (pass it as <c>DevIdpServerOptions.TimeProvider</c>) instead of sleeping.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>Starts at the current time.</summary>
    public ManualClock()
        : this(DateTimeOffset.UtcNow)
    {
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
