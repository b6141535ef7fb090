using Microsoft.Extensions.Options;

namespace Bff.Proxy.Internal;

/// <summary>
/// Checks <c>Bff:RemoteApis</c> (the one place it is checked): local path prefixes, absolute http(s)
/// destinations without query or user info, no two APIs on one path, and a token exchange only where
/// there is a user's token to exchange.
/// </summary>
internal sealed class RemoteApiOptionsValidator : IValidateOptions<BffRemoteApis>
{
    public ValidateOptionsResult Validate(string? name, BffRemoteApis options)
    {
        var failures = new List<string>();
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (apiName, api) in options.Apis)
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

            if (!Enum.IsDefined(api.Token))
            {
                failures.Add($"{key}:Token must be User, Client, UserOrClient or None.");
            }

            if (api.ExchangeAudience is { } audience
                && (audience.Trim().Length == 0 || audience.Any(char.IsWhiteSpace) || api.Token is RemoteApiTokenType.Client or RemoteApiTokenType.None))
            {
                failures.Add($"{key}:ExchangeAudience must be one client id without spaces, and needs Token User or UserOrClient (a user's token is what is exchanged).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
