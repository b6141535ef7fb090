namespace Bff.Tests.TestInfra;

/// <summary>A clock the test moves by hand, for expiry logic (no sleeping, no timing assertions).</summary>
public sealed class BffTestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public BffTestClock()
        : this(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
