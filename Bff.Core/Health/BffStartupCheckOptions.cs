namespace Bff.Health;

/// <summary>Settings of the start-up configuration check, bound from <c>Bff:StartupCheck</c>.</summary>
public sealed class BffStartupCheckOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Bff:StartupCheck";

    /// <summary>
    /// The back-channel logout URL registered for this client at the identity provider (Keycloak:
    /// the client's "Backchannel logout URL"). When set, the start-up check POSTs an empty form to it
    /// and warns unless a BFF back-channel endpoint answers (a 400 JSON error). The check runs from
    /// the BFF's network, not the provider's, so it catches a wrong host, port or path, not a firewall
    /// in front of the provider. Defaults to null: not checked.
    /// </summary>
    public Uri? BackchannelUrl { get; set; }
}
