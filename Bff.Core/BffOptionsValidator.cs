using Bff.Login.Internal;
using Microsoft.Extensions.Options;

namespace Bff;

/// <summary>
/// Checks the settings of the <c>Bff</c> section's root at start-up: the management endpoints' paths
/// and the pages and prefixes every feature shares. Each feature checks its own part beside its
/// options (<c>Sessions/Internal/BffSessionOptionsValidator</c>, ...), run by <see cref="BffOptionsParts"/>,
/// so a setting is checked in one place. Every message names the setting to fix.
/// </summary>
internal sealed class BffOptionsValidator : IValidateOptions<BffOptions>
{
    public ValidateOptionsResult Validate(string? name, BffOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, path) in new[]
        {
            ("Bff:LoginPath", options.LoginPath), ("Bff:UserPath", options.UserPath), ("Bff:LogoutPath", options.LogoutPath),
            ("Bff:BackchannelLogoutPath", options.BackchannelLogoutPath), ("Bff:SessionsPath", options.SessionsPath),
            ("Bff:EventsPath", options.EventsPath),
        })
        {
            if (string.IsNullOrEmpty(path) || !path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('?', StringComparison.Ordinal))
            {
                failures.Add($"{key} must be a local path such as /bff/x, not '{path}'.");
            }
        }

        BffOidcOptionsValidator.CheckPath(options.ErrorPath, "Bff:ErrorPath", failures);
        BffOidcOptionsValidator.CheckPath(options.AccessDeniedPath, "Bff:AccessDeniedPath", failures);
        foreach (var prefix in options.ApiPathPrefixes)
        {
            BffOidcOptionsValidator.CheckPath(prefix, "Bff:ApiPathPrefixes", failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
