using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>Checks <see cref="BffApiOptions"/> at start-up.</summary>
internal sealed class BffApiOptionsValidator : IValidateOptions<BffApiOptions>
{
    public ValidateOptionsResult Validate(string? name, BffApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BearerClockSkew < TimeSpan.Zero || options.BearerClockSkew > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail($"Bff:BearerClockSkew must be between 00:00:00 and 00:05:00 (was {options.BearerClockSkew}).");
        }

        return options.Api.AllowedBearerClients.Any(string.IsNullOrWhiteSpace)
            ? ValidateOptionsResult.Fail("Bff:Api:AllowedBearerClients must not hold an empty client id.")
            : ValidateOptionsResult.Success;
    }
}
