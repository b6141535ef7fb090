using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Realms;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Logout;

/// <summary>
/// RP-initiated logout checks, as Keycloak 18+ does them: a post_logout_redirect_uri needs id_token_hint or
/// client_id to name the client, and must match one of that client's post.logout.redirect.uris ("+": its redirect URIs). A rejection
/// here shows an error page; nothing is redirected.
/// </summary>
internal sealed class EndSessionRequestValidator(ILogger<EndSessionRequestValidator> logger) : IOpenIddictServerHandler<ValidateEndSessionRequestContext>
{
    public ValueTask HandleAsync(ValidateEndSessionRequestContext context)
    {
        var request = context.Transaction.GetHttpRequest()!;
        var realm = request.HttpContext.GetRealm();
        var hintClient = context.IdentityTokenHintPrincipal?.GetAudiences().FirstOrDefault();
        if (hintClient is not null && context.ClientId is { Length: > 0 } && context.ClientId != hintClient)
        {
            context.Reject(Errors.InvalidRequest, "Parameter client_id different than the client of id_token_hint");
            return ValueTask.CompletedTask;
        }

        var clientId = hintClient ?? context.ClientId;
        var client = realm.FindClient(clientId);
        if (clientId is { Length: > 0 } && client is not { Enabled: true })
        {
            context.Reject(Errors.InvalidRequest, "Client not found.");
            return ValueTask.CompletedTask;
        }

        if (string.IsNullOrEmpty(context.PostLogoutRedirectUri))
        {
            return ValueTask.CompletedTask;
        }

        if (client is null)
        {
            context.Reject(Errors.InvalidRequest, "Missing parameters: id_token_hint or client_id");
            return ValueTask.CompletedTask;
        }

        if (!RedirectUriMatcher.Matches(context.PostLogoutRedirectUri, RedirectUriMatcher.PostLogoutPatterns(client), client.RootUrl,
                request.Scheme + "://" + request.Host.Value))
        {
            DevIdpLog.InvalidPostLogoutRedirectUri(logger, realm.Name, client.ClientId);
            context.Reject(Errors.InvalidRequest, "Invalid redirect uri");
        }

        return ValueTask.CompletedTask;
    }
}
