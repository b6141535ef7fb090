using Microsoft.Extensions.Options;

namespace Bff.Api;

/// <summary>Settings of the API's bearer-token authentication, bound from the <c>Bff</c> section.</summary>
public sealed class BffApiOptions
{
    /// <summary>
    /// Whether the API accepts <c>Authorization: Bearer</c> access tokens from non-browser clients
    /// (<c>Bff:AcceptBearerTokens</c>). Defaults to <see langword="true"/>.
    /// </summary>
    public bool AcceptBearerTokens { get; set; } = true;

    /// <summary>
    /// The clock tolerance when checking a bearer token's lifetime (<c>Bff:BearerClockSkew</c>).
    /// Defaults to 30 seconds (ASP.NET's default of 5 minutes keeps expired tokens alive too long).
    /// </summary>
    public TimeSpan BearerClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="BffApiOptions"/> at start-up.</summary>
internal sealed class BffApiOptionsValidator : IValidateOptions<BffApiOptions>
{
    public ValidateOptionsResult Validate(string? name, BffApiOptions options) =>
        options.BearerClockSkew < TimeSpan.Zero || options.BearerClockSkew > TimeSpan.FromMinutes(5)
            ? ValidateOptionsResult.Fail($"Bff:BearerClockSkew must be between 00:00:00 and 00:05:00 (was {options.BearerClockSkew}).")
            : ValidateOptionsResult.Success;
}
