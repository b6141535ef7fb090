using Microsoft.AspNetCore;
using Bff.DevIdp.Endpoints;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Login;

/// <summary>
/// Checks the client and its exact redirect URI before anything is sent back to that URI. A rejection here
/// happens before OpenIddict has a validated redirect URI, so the user sees an error page, never a redirect.
/// </summary>
internal sealed class AuthorizationRequestValidator(ILogger<AuthorizationRequestValidator> logger)
    : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>,
    IOpenIddictServerHandler<ValidatePushedAuthorizationRequestContext>
{
    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context) => Validate(context, context.ClientId, context.RedirectUri);

    /// <summary>A pushed request is checked as the authorization request it stands for, before it is stored.</summary>
    public ValueTask HandleAsync(ValidatePushedAuthorizationRequestContext context) => Validate(context, context.ClientId, context.RedirectUri);

    private ValueTask Validate(OpenIddictServerEvents.BaseValidatingContext context, string? clientId, string? redirectUri)
    {
        var realm = context.Transaction.GetHttpRequest()!.HttpContext.GetRealm();
        var client = realm.FindClient(clientId);
        if (client is not { Enabled: true })
        {
            DevIdpLog.UnknownClient(logger, realm.Name, clientId);
            context.Reject(Errors.InvalidClient, "Client not found.");
            return ValueTask.CompletedTask;
        }

        if (string.IsNullOrEmpty(redirectUri)
            || !client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
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
