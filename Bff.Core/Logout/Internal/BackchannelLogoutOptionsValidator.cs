using Microsoft.Extensions.Options;

namespace Bff.Logout.Internal;

/// <summary>Checks <see cref="BackchannelLogoutOptions"/> at start-up.</summary>
internal sealed class BackchannelLogoutOptionsValidator : IValidateOptions<BackchannelLogoutOptions>
{
    public ValidateOptionsResult Validate(string? name, BackchannelLogoutOptions options)
    {
        var failures = new List<string>();
        if (options.MaxTokenAge <= TimeSpan.Zero || options.MaxTokenAge > TimeSpan.FromHours(1))
        {
            failures.Add($"Bff:Backchannel:MaxTokenAge must be above zero and at most 01:00:00 (was {options.MaxTokenAge}).");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Bff:Backchannel:ClockSkew must be between 00:00:00 and 00:05:00 (was {options.ClockSkew}).");
        }

        if (options.ReplayCacheSize < 100)
        {
            failures.Add($"Bff:Backchannel:ReplayCacheSize must be at least 100 (was {options.ReplayCacheSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
