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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
