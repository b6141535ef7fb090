namespace Bff.Tokens;

/// <summary>Settings of the token service, bound from the <c>Bff</c> configuration section.</summary>
public sealed class BffTokenOptions
{
    /// <summary>
    /// Refresh an access token when it expires within this time (<c>Bff:RefreshBeforeExpiry</c>), so
    /// a token handed out is still good when the downstream API checks it. Defaults to 1 minute.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a call to the identity provider's token or revocation endpoint may take before it
    /// counts as a transient failure (<c>Bff:TokenEndpointTimeout</c>). Defaults to 10 seconds.
    /// </summary>
    public TimeSpan TokenEndpointTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With several instances (Redis configured): how long a session's refresh lease lasts unless its
    /// holder renews it, which it does every third of this while the token endpoint call runs
    /// (<c>Bff:RefreshLeaseDuration</c>). It bounds how long the other instances wait when the holder
    /// dies. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan RefreshLeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With several instances: how long a request waits for another instance's refresh of its
    /// session before it answers 503 (<c>Bff:RefreshWaitTimeout</c>). Must exceed
    /// <see cref="RefreshLeaseDuration"/>, so that a dead holder's lease runs out and the wait takes
    /// over the refresh. Defaults to 25 seconds.
    /// </summary>
    public TimeSpan RefreshWaitTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
