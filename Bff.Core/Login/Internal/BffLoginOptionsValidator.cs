using Microsoft.Extensions.Options;

namespace Bff.Login.Internal;

/// <summary>Checks <c>Bff:Login</c> at start-up; every message names the setting to fix.</summary>
internal sealed class BffLoginOptionsValidator : IValidateOptions<BffLoginOptions>
{
    public ValidateOptionsResult Validate(string? name, BffLoginOptions options)
    {
        var failures = new List<string>();
        if (options.MaxPendingLogins < 1)
        {
            failures.Add($"Bff:Login:MaxPendingLogins must be at least 1 (was {options.MaxPendingLogins}).");
        }

        foreach (var parameter in options.AllowedParameterNames().Where(n => !AuthorizeParameters.Known.Contains(n)))
        {
            failures.Add($"Bff:Login:AllowedParameters holds '{parameter}'; allowed are {string.Join(", ", AuthorizeParameters.Known)}.");
        }

        if (options.RateLimit.PermitLimit < 0 || options.RateLimit.Window <= TimeSpan.Zero)
        {
            failures.Add("Bff:Login:RateLimit:PermitLimit must be 0 (off) or more, and Bff:Login:RateLimit:Window positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
