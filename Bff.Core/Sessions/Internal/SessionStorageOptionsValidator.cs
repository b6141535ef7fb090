using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>Start-up checks of <c>Bff:Storage:Sessions</c> and <c>ConnectionStrings:Redis</c>, naming the key.</summary>
internal sealed class SessionStorageOptionsValidator(IConfiguration configuration) : IValidateOptions<SessionStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Sessions))
        {
            failures.Add($"Bff:Storage:Sessions must be LiteDb or Redis, not '{options.Sessions}'.");
        }

        if (options.Sessions == SessionStorageKind.Redis)
        {
            if (configuration.GetConnectionString("Redis") is not { Length: > 0 } connection)
            {
                failures.Add("ConnectionStrings:Redis is required when Bff:Storage:Sessions is Redis, e.g. localhost:6379.");
            }
            else if (RedisConnection.ConfigurationError(connection) is { } error)
            {
                // In a method of its own class: this validator runs on LiteDB too, and must not load Redis's client there.
                failures.Add($"ConnectionStrings:Redis is not a valid StackExchange.Redis configuration: {error}");
            }
        }

        if (string.IsNullOrEmpty(options.RedisKeyPrefix))
        {
            failures.Add("Bff:Storage:RedisKeyPrefix must not be empty (e.g. bff:), so the BFF's keys are told apart from others in the same Redis.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
