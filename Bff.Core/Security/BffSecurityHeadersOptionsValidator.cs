using Microsoft.Extensions.Options;

namespace Bff.Security;

/// <summary>Start-up checks of <see cref="BffSecurityHeadersOptions"/>.</summary>
internal sealed class BffSecurityHeadersOptionsValidator : IValidateOptions<BffSecurityHeadersOptions>
{
    public ValidateOptionsResult Validate(string? name, BffSecurityHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var path in options.NoStorePaths)
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/')
            {
                return ValidateOptionsResult.Fail($"{BffSecurityHeadersOptions.SectionName}:NoStorePaths: '{path}' must start with '/'.");
            }
        }

        // Note: a policy that lets inline script run undoes the point of the header; refuse it
        // rather than ship it silently.
        if (options.ContentSecurityPolicy.Contains("'unsafe-inline'", StringComparison.OrdinalIgnoreCase)
            && options.ContentSecurityPolicy.Contains("script-src", StringComparison.OrdinalIgnoreCase)
            && ScriptSourceAllowsInline(options.ContentSecurityPolicy))
        {
            return ValidateOptionsResult.Fail($"{BffSecurityHeadersOptions.SectionName}:ContentSecurityPolicy: script-src must not allow 'unsafe-inline'.");
        }

        return ValidateOptionsResult.Success;
    }

    private static bool ScriptSourceAllowsInline(string policy) =>
        policy.Split(';').Select(d => d.Trim())
            .Any(d => d.StartsWith("script-src", StringComparison.OrdinalIgnoreCase) && d.Contains("'unsafe-inline'", StringComparison.OrdinalIgnoreCase));
}
