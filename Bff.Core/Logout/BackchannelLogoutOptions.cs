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
