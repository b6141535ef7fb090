using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Logout.Internal;

/// <summary>
/// Builds the RP-initiated logout redirect (OpenID Connect RP-Initiated Logout 1.0) to the provider's
/// <c>end_session_endpoint</c>: <c>id_token_hint</c> when the session still had an ID token,
/// <c>client_id</c> always (Keycloak 18+ needs one of them with <c>post_logout_redirect_uri</c>, and
/// without the ID token it still knows the client), <c>post_logout_redirect_uri</c> = the OIDC
/// handler's signed-out callback, and <c>state</c> = the handler's own protected properties carrying
/// the local return URL, so the handler's callback sends the user there.
/// </summary>
internal sealed class EndSessionUrlBuilder(IOptionsMonitor<OpenIdConnectOptions> oidcOptions, ILogger<EndSessionUrlBuilder> logger)
{
    /// <summary>The end-session URL, or <see langword="null"/> when the provider offers none (then log out locally).</summary>
    public async Task<string?> BuildAsync(HttpContext context, string? idToken, string localReturnUrl)
    {
        var oidc = oidcOptions.Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        OpenIdConnectConfiguration? configuration = null;
        try
        {
            if (oidc.ConfigurationManager is { } manager)
            {
                configuration = await manager.GetConfigurationAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            // The local session is already gone: a provider that cannot be reached must not turn the
            // logout into an error page.
            logger.EndSessionConfigurationFailed(ex);
            return null;
        }

        if (string.IsNullOrEmpty(configuration?.EndSessionEndpoint))
        {
            logger.NoEndSessionEndpoint();
            return null;
        }

        var request = context.Request;
        var callback = $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase}{oidc.SignedOutCallbackPath}";
        var state = oidc.StateDataFormat.Protect(new AuthenticationProperties { RedirectUri = localReturnUrl });
        return new RequestUrl(configuration.EndSessionEndpoint).CreateEndSessionUrl(
            idTokenHint: string.IsNullOrEmpty(idToken) ? null : idToken,
            postLogoutRedirectUri: callback,
            state: state,
            extra: new Parameters { { "client_id", oidc.ClientId ?? "" } });
    }
}
