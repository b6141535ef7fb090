using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Realms;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Login;

/// <summary>
/// Checks the client and its redirect URI (matched as Keycloak matches it) before anything is sent back to that URI. A rejection here
/// happens before OpenIddict has a validated redirect URI, so the user sees an error page, never a redirect.
/// </summary>
internal sealed class AuthorizationRequestValidator(ILogger<AuthorizationRequestValidator> logger)
    : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>,
    IOpenIddictServerHandler<ValidatePushedAuthorizationRequestContext>
{
    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        var realm = context.Transaction.GetHttpRequest()!.HttpContext.GetRealm();
        if (realm.FindClient(context.ClientId) is { Enabled: true, RequirePushedAuthorizationRequests: true } client
            && string.IsNullOrEmpty(context.Request.RequestUri))
        {
            // require.pushed.authorization.requests: the parameters must come over the back channel (RFC 9126 5),
            // never from the browser's URL.
            DevIdpLog.PushedAuthorizationRequired(logger, realm.Name, client.ClientId);
            context.Reject(Errors.InvalidRequest, "Pushed Authorization Request is only allowed.");
            return ValueTask.CompletedTask;
        }

        return Validate(context, context.ClientId, context.RedirectUri);
    }

    /// <summary>A pushed request is checked as the authorization request it stands for, before it is stored.</summary>
    public ValueTask HandleAsync(ValidatePushedAuthorizationRequestContext context) => Validate(context, context.ClientId, context.RedirectUri);

    private ValueTask Validate(OpenIddictServerEvents.BaseValidatingContext context, string? clientId, string? redirectUri)
    {
        var request = context.Transaction.GetHttpRequest()!;
        var realm = request.HttpContext.GetRealm();
        var client = realm.FindClient(clientId);
        if (client is not { Enabled: true })
        {
            DevIdpLog.UnknownClient(logger, realm.Name, clientId);
            context.Reject(Errors.InvalidClient, "Client not found.");
            return ValueTask.CompletedTask;
        }

        if (!RedirectUriMatcher.Matches(redirectUri, client.RedirectUris, client.RootUrl, request.Scheme + "://" + request.Host.Value))
        {
            DevIdpLog.InvalidRedirectUri(logger, realm.Name, client.ClientId);
            context.Reject(Errors.InvalidRequest, "Invalid parameter: redirect_uri");
            return ValueTask.CompletedTask;
        }

        if (!client.StandardFlowEnabled)
        {
            context.Reject(Errors.UnauthorizedClient, "Client is not allowed to initiate browser login: standard flow is disabled.");
        }

        return ValueTask.CompletedTask;
    }
}
