using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Logout;

/// <summary>
/// The logout fields of Keycloak's discovery document, as far as the DevIdp implements them, so that a
/// client's configuration check judges the DevIdp as it would judge Keycloak.
/// </summary>
/// <remarks>
/// Keycloak 26 advertises all four of these as <see langword="true"/>. The DevIdp sends back-channel logout
/// tokens that carry <c>sid</c> (<see cref="BackchannelLogoutSender"/>), so both back-channel fields are true.
/// It does not implement front-channel logout (its end-session endpoint renders no iframes to clients'
/// <c>frontchannel_logout_uri</c>), so it says false there instead of copying Keycloak: a client that trusted
/// the claim would wait for a logout request that never comes.
/// </remarks>
internal sealed class LogoutDiscoveryMetadata : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.Metadata["backchannel_logout_supported"] = true;
        context.Metadata["backchannel_logout_session_supported"] = true;
        context.Metadata["frontchannel_logout_supported"] = false;
        context.Metadata["frontchannel_logout_session_supported"] = false;
        return ValueTask.CompletedTask;
    }
}
