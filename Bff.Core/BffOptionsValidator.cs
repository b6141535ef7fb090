using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Bff.Login.Internal;
using Bff.Security.Internal;
using Bff.Sessions;

namespace Bff;

/// <summary>Checks the <c>Bff</c> section at start-up; every message names the setting to fix.</summary>
internal sealed class BffOptionsValidator : IValidateOptions<BffOptions>
{
    public ValidateOptionsResult Validate(string? name, BffOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.LogoutMode))
        {
            failures.Add($"Bff:LogoutMode must be Local or Keycloak, not '{options.LogoutMode}'.");
        }

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

        var session = options.Session;
        if (string.IsNullOrWhiteSpace(session.CookieName))
        {
            failures.Add("Bff:Session:CookieName is required.");
        }

        if (session.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add("Bff:Session:IdleTimeout must be positive.");
        }

        if (session.AbsoluteLifetime < session.IdleTimeout)
        {
            failures.Add("Bff:Session:AbsoluteLifetime must be at least Bff:Session:IdleTimeout.");
        }

        if (session.CleanupInterval <= TimeSpan.Zero)
        {
            failures.Add("Bff:Session:CleanupInterval must be positive.");
        }

        if (session.CacheSize < 0)
        {
            failures.Add("Bff:Session:CacheSize must be 0 (no cache) or more.");
        }

        if (session.SharedCacheLifetime <= TimeSpan.Zero)
        {
            failures.Add("Bff:Session:SharedCacheLifetime must be positive.");
        }

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

        if (options.Login.MaxPendingLogins < 1)
        {
            failures.Add($"Bff:Login:MaxPendingLogins must be at least 1 (was {options.Login.MaxPendingLogins}).");
        }

        foreach (var parameter in options.Login.AllowedParameterNames().Where(n => !Bff.Login.Internal.AuthorizeParameters.Known.Contains(n)))
        {
            failures.Add($"Bff:Login:AllowedParameters holds '{parameter}'; allowed are {string.Join(", ", Bff.Login.Internal.AuthorizeParameters.Known)}.");
        }

        if (options.Login.RateLimit.PermitLimit < 0 || options.Login.RateLimit.Window <= TimeSpan.Zero)
        {
            failures.Add("Bff:Login:RateLimit:PermitLimit must be 0 (off) or more, and Bff:Login:RateLimit:Window positive.");
        }

        if (!Enum.IsDefined(options.Users.LinkExistingBy))
        {
            failures.Add($"Bff:Users:LinkExistingBy must be None, Email or EmailThenUsername, not '{options.Users.LinkExistingBy}'.");
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

/// <summary>Checks <c>ConnectionStrings:Bff</c> at start-up.</summary>
internal sealed class BffStorageOptionsValidator : IValidateOptions<BffStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, BffStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("ConnectionStrings:Bff is required, e.g. Filename=data/bff.db.");
        }
        else
        {
            try
            {
                _ = new LiteDB.ConnectionString(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"ConnectionStrings:Bff is not a valid LiteDB connection string: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
