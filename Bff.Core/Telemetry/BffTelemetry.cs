namespace Bff.Telemetry;

/// <summary>
/// The names under which the BFF reports to OpenTelemetry: one meter and one activity source, both
/// <c>Bff</c>. An app listens with <c>.WithMetrics(m =&gt; m.AddMeter(BffTelemetry.MeterName))</c> and
/// <c>.WithTracing(t =&gt; t.AddSource(BffTelemetry.ActivitySourceName))</c>; every instrument, its unit and
/// its tags are listed in docs/operations.md.
/// </summary>
/// <remarks>
/// Important: no tag or span attribute ever carries a token, a cookie, a session key or a secret; the
/// only user-related value is the non-secret local route or reason names listed in the docs.
/// </remarks>
public static class BffTelemetry
{
    /// <summary>The meter's name: <c>Bff</c>.</summary>
    public const string MeterName = "Bff";

    /// <summary>The activity source's name: <c>Bff</c>.</summary>
    public const string ActivitySourceName = "Bff";
}
