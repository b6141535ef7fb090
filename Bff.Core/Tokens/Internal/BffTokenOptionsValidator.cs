using Microsoft.Extensions.Options;

namespace Bff.Tokens.Internal;

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
