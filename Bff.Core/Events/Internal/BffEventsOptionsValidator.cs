using Microsoft.Extensions.Options;

namespace Bff.Events.Internal;

/// <summary>Refuses event-stream settings that cannot work, naming the key.</summary>
internal sealed class BffEventsOptionsValidator : IValidateOptions<BffEventsOptions>
{
    public ValidateOptionsResult Validate(string? name, BffEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Heartbeat < TimeSpan.FromSeconds(1))
        {
            failures.Add("Bff:Events:Heartbeat must be at least 1 second.");
        }

        if (options.ExpiryWarning < TimeSpan.Zero)
        {
            failures.Add("Bff:Events:ExpiryWarning must not be negative.");
        }

        if (options.MaxStreamsPerSession < 1)
        {
            failures.Add("Bff:Events:MaxStreamsPerSession must be at least 1.");
        }

        if (options.MaxStreams < 1)
        {
            failures.Add("Bff:Events:MaxStreams must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
