using Microsoft.Extensions.Options;

namespace Bff.Logout.Internal;

/// <summary>Checks <c>Bff:LogoutMode</c> at start-up.</summary>
internal sealed class LogoutSettingsValidator : IValidateOptions<LogoutSettings>
{
    public ValidateOptionsResult Validate(string? name, LogoutSettings options) =>
        Enum.IsDefined(options.LogoutMode)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Bff:LogoutMode must be Local or Keycloak, not '{options.LogoutMode}'.");
}
