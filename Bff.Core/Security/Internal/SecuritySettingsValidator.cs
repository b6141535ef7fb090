using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>Checks <c>Bff:PublicOrigin</c> and <c>Bff:ForwardedHeaders</c> at start-up; every message names the setting to fix.</summary>
internal sealed class SecuritySettingsValidator : IValidateOptions<SecuritySettings>
{
    public ValidateOptionsResult Validate(string? name, SecuritySettings options)
    {
        var failures = new List<string>();
        if (options.PublicOrigin is { } origin && (!origin.IsAbsoluteUri || origin.Scheme is not ("https" or "http") || origin.AbsolutePath != "/" || origin.Query.Length > 0))
        {
            failures.Add($"Bff:PublicOrigin must be an http(s) origin without path or query, such as https://app.example.com (was '{origin}').");
        }

        foreach (var proxy in options.ForwardedHeaders.KnownProxies)
        {
            if (!System.Net.IPAddress.TryParse(proxy, out _) && !System.Net.IPNetwork.TryParse(proxy, out _))
            {
                failures.Add($"Bff:ForwardedHeaders:KnownProxies holds '{proxy}', which is neither an IP address nor a CIDR network.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
