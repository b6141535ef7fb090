using Microsoft.Extensions.Options;

namespace Bff.Proxy;

/// <summary>
/// Remote APIs the BFF forwards to with the user's access token, bound from
/// <c>Bff:RemoteApis:&lt;name&gt;</c>.
/// </summary>
public sealed class BffRemoteApisOptions
{
    /// <summary>The remote APIs by name. Defaults to none.</summary>
    public Dictionary<string, RemoteApiOptions> RemoteApis { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One remote API: a same-origin path prefix and the downstream address it forwards to.</summary>
public sealed class RemoteApiOptions
{
    /// <summary>
    /// The local path prefix, e.g. <c>/api/remote</c> (<c>Bff:RemoteApis:&lt;name&gt;:Path</c>); the
    /// rest of the path is appended to <see cref="Destination"/>. Defaults to none (required).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// The downstream base address, e.g. <c>https://api.example.com/v1/</c>
    /// (<c>Bff:RemoteApis:&lt;name&gt;:Destination</c>). Defaults to none (required).
    /// </summary>
    public string? Destination { get; set; }
}

/// <summary>Checks the remote API settings at start-up, naming the offending key.</summary>
internal sealed class BffRemoteApisOptionsValidator : IValidateOptions<BffRemoteApisOptions>
{
    public ValidateOptionsResult Validate(string? name, BffRemoteApisOptions options)
    {
        var failures = new List<string>();
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (apiName, api) in options.RemoteApis)
        {
            var key = $"Bff:RemoteApis:{apiName}";
            if (string.IsNullOrWhiteSpace(api.Path) || !api.Path.StartsWith('/') || api.Path.Contains('{', StringComparison.Ordinal) || api.Path.Contains('?', StringComparison.Ordinal))
            {
                failures.Add($"{key}:Path must be a local path prefix starting with '/' (was '{api.Path}').");
            }
            else if (api.Path.TrimEnd('/').Length == 0 || !paths.Add(api.Path.TrimEnd('/')))
            {
                failures.Add($"{key}:Path '{api.Path}' is the site root or used by another remote API.");
            }

            if (!Uri.TryCreate(api.Destination, UriKind.Absolute, out var destination) ||
                (destination.Scheme != Uri.UriSchemeHttp && destination.Scheme != Uri.UriSchemeHttps) ||
                !string.IsNullOrEmpty(destination.Query) || !string.IsNullOrEmpty(destination.UserInfo))
            {
                failures.Add($"{key}:Destination must be an absolute http(s) URL without query or user info (was '{api.Destination}').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
