using System.Diagnostics.Metrics;

namespace Bff.Security.Internal;

/// <summary>
/// Tells whether anyone records ASP.NET Core's authentication or authorization metrics: the policy
/// evaluator's shortcuts skip the services that record them, so they step aside while anyone listens.
/// </summary>
/// <remarks>
/// The listener only watches instruments being published, and enables none of them itself, so it
/// turns no instrument on. It takes only this app's instruments (those of its meter factory), not those
/// of another host in the same process.
/// </remarks>
internal sealed class SecurityMetricsWatch : IDisposable
{
    private readonly MeterListener listener = new();
    private Instrument? authenticateDuration;
    private Instrument? authorizationAttempts;

    public SecurityMetricsWatch(IMeterFactory meters)
    {
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (!ReferenceEquals(instrument.Meter.Scope, meters))
            {
                return;
            }

            switch (instrument.Meter.Name, instrument.Name)
            {
                case ("Microsoft.AspNetCore.Authentication", "aspnetcore.authentication.authenticate.duration"):
                    Volatile.Write(ref authenticateDuration, instrument);
                    break;
                case ("Microsoft.AspNetCore.Authorization", "aspnetcore.authorization.attempts"):
                    Volatile.Write(ref authorizationAttempts, instrument);
                    break;
            }
        };
        listener.Start();
    }

    /// <summary>Whether the authentication service's duration of each authenticate call is being recorded.</summary>
    public bool AuthenticationRecorded => Volatile.Read(ref authenticateDuration)?.Enabled == true;

    /// <summary>Whether the authorization service's count of attempts is being recorded.</summary>
    public bool AuthorizationRecorded => Volatile.Read(ref authorizationAttempts)?.Enabled == true;

    public void Dispose() => listener.Dispose();
}
