using Microsoft.Extensions.Options;

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

/// <summary>Checks <see cref="BffTokenOptions"/> at start-up.</summary>
internal sealed class BffTokenOptionsValidator : IValidateOptions<BffTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, BffTokenOptions options)
    {
        var failures = new List<string>();
        if (options.RefreshBeforeExpiry < TimeSpan.Zero || options.RefreshBeforeExpiry > TimeSpan.FromHours(1))
        {
            failures.Add($"Bff:RefreshBeforeExpiry must be between 00:00:00 and 01:00:00 (was {options.RefreshBeforeExpiry}).");
        }

        if (options.TokenEndpointTimeout <= TimeSpan.Zero || options.TokenEndpointTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add($"Bff:TokenEndpointTimeout must be above zero and at most 00:02:00 (was {options.TokenEndpointTimeout}).");
        }

        if (options.RefreshLeaseDuration < TimeSpan.FromMilliseconds(300) || options.RefreshLeaseDuration > TimeSpan.FromMinutes(2))
        {
            failures.Add($"Bff:RefreshLeaseDuration must be between 00:00:00.3 and 00:02:00 (was {options.RefreshLeaseDuration}).");
        }

        if (options.RefreshWaitTimeout <= options.RefreshLeaseDuration || options.RefreshWaitTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Bff:RefreshWaitTimeout must be longer than Bff:RefreshLeaseDuration and at most 00:05:00 (was {options.RefreshWaitTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
