using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

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

        foreach (var origin in options.FormActionOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || FormActionSources.OriginOf(uri) is not { } parsed
                || !string.Equals(parsed, origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return ValidateOptionsResult.Fail(
                    $"{BffSecurityHeadersOptions.SectionName}:FormActionOrigins: '{origin}' must be an http(s) origin such as https://sso.example.com, without a path.");
            }
        }

        // Important: a form-action that allows any host lets an injected form (or a redirect after a
        // legitimate post) carry what the user typed to any site.
        if (FormActionSources.Find(options.ContentSecurityPolicy) is { } formAction && formAction.FirstOrDefault(FormActionSources.IsWildcard) is { } wildcard)
        {
            return ValidateOptionsResult.Fail(
                $"{BffSecurityHeadersOptions.SectionName}:ContentSecurityPolicy: form-action must not allow any host ('{wildcard}'); " +
                $"name the identity provider's origin, or leave form-action out and let the BFF derive it from Oidc:Authority.");
        }

        return ValidateOptionsResult.Success;
    }

    private static bool ScriptSourceAllowsInline(string policy) =>
        policy.Split(';').Select(d => d.Trim())
            .Any(d => d.StartsWith("script-src", StringComparison.OrdinalIgnoreCase) && d.Contains("'unsafe-inline'", StringComparison.OrdinalIgnoreCase));
}
