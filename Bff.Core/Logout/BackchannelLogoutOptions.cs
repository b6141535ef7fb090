using Microsoft.Extensions.Options;

namespace Bff.Logout;

/// <summary>Settings of back-channel logout, bound from <c>Bff:Backchannel</c>.</summary>
public sealed class BackchannelLogoutOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Bff:Backchannel";

    /// <summary>
    /// How old (by its <c>iat</c>) a logout token may be. Keycloak's tokens carry no <c>exp</c> in
    /// older versions, so this age is what bounds their lifetime and the replay cache. Defaults to 5 minutes.
    /// </summary>
    public TimeSpan MaxTokenAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The tolerance for clock differences with the identity provider. Defaults to 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many seen <c>jti</c> values are remembered at most; when full, new tokens are refused
    /// rather than forgetting one still fresh enough to replay. Defaults to 100000.
    /// </summary>
    public int ReplayCacheSize { get; set; } = 100_000;
}

/// <summary>Checks <see cref="BackchannelLogoutOptions"/> at start-up.</summary>
internal sealed class BackchannelLogoutOptionsValidator : IValidateOptions<BackchannelLogoutOptions>
{
    public ValidateOptionsResult Validate(string? name, BackchannelLogoutOptions options)
    {
        var failures = new List<string>();
        if (options.MaxTokenAge <= TimeSpan.Zero || options.MaxTokenAge > TimeSpan.FromHours(1))
        {
            failures.Add($"Bff:Backchannel:MaxTokenAge must be above zero and at most 01:00:00 (was {options.MaxTokenAge}).");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Bff:Backchannel:ClockSkew must be between 00:00:00 and 00:05:00 (was {options.ClockSkew}).");
        }

        if (options.ReplayCacheSize < 100)
        {
            failures.Add($"Bff:Backchannel:ReplayCacheSize must be at least 100 (was {options.ReplayCacheSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
