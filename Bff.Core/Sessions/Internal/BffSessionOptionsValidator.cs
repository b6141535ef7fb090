using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>Checks <c>Bff:Session</c> at start-up; every message names the setting to fix.</summary>
internal sealed class BffSessionOptionsValidator : IValidateOptions<BffSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, BffSessionOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CookieName))
        {
            failures.Add("Bff:Session:CookieName is required.");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add("Bff:Session:IdleTimeout must be positive.");
        }

        if (options.AbsoluteLifetime < options.IdleTimeout)
        {
            failures.Add("Bff:Session:AbsoluteLifetime must be at least Bff:Session:IdleTimeout.");
        }

        if (options.CleanupInterval <= TimeSpan.Zero)
        {
            failures.Add("Bff:Session:CleanupInterval must be positive.");
        }

        if (options.CacheSize < 0)
        {
            failures.Add("Bff:Session:CacheSize must be 0 (no cache) or more.");
        }

        if (options.SharedCacheLifetime <= TimeSpan.Zero)
        {
            failures.Add("Bff:Session:SharedCacheLifetime must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
