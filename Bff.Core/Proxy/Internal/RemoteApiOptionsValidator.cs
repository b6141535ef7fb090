using Microsoft.Extensions.Options;

namespace Bff.Proxy.Internal;

/// <summary>
/// Checks <c>Bff:RemoteApis</c> (the one place it is checked): local path prefixes, absolute http(s)
/// destinations without query or user info, and no two APIs on one path.
/// </summary>
internal sealed class RemoteApiOptionsValidator : IValidateOptions<BffOptions>
{
    public ValidateOptionsResult Validate(string? name, BffOptions options)
    {
        var failures = new List<string>();
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (apiName, api) in options.RemoteApis)
        {
            var key = $"Bff:RemoteApis:{apiName}";
            Bff.Login.Internal.BffOidcOptionsValidator.CheckPath(api.Path, $"{key}:Path", failures);
            if (api.Destination is not { IsAbsoluteUri: true })
            {
                failures.Add($"{key}:Destination must be an absolute URL.");
            }

            var path = api.Path?.TrimEnd('/') ?? "";
            if (path.Length == 0 || path.Contains('{', StringComparison.Ordinal) || path.Contains('?', StringComparison.Ordinal) || !paths.Add(path))
            {
                failures.Add($"{key}:Path '{api.Path}' must be a distinct local path prefix below the site root, e.g. /api/remote.");
            }

            if (api.Destination is { IsAbsoluteUri: true } destination &&
                ((destination.Scheme != Uri.UriSchemeHttp && destination.Scheme != Uri.UriSchemeHttps) ||
                 !string.IsNullOrEmpty(destination.Query) || !string.IsNullOrEmpty(destination.UserInfo)))
            {
                failures.Add($"{key}:Destination must be an http(s) URL without query or user info.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
