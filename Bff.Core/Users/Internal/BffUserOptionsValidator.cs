using Microsoft.Extensions.Options;

namespace Bff.Users.Internal;

/// <summary>Checks <c>Bff:Users</c> at start-up; every message names the setting to fix.</summary>
internal sealed class BffUserOptionsValidator : IValidateOptions<BffUserOptions>
{
    public ValidateOptionsResult Validate(string? name, BffUserOptions options) =>
        Enum.IsDefined(options.LinkExistingBy)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Bff:Users:LinkExistingBy must be None, Email or EmailThenUsername, not '{options.LinkExistingBy}'.");
}
