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
    : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        var realm = context.Transaction.GetHttpRequest()!.HttpContext.GetRealm();
        var client = realm.FindClient(context.ClientId);
        if (client is not { Enabled: true })
        {
            DevIdpLog.UnknownClient(logger, realm.Name, context.ClientId);
            context.Reject(Errors.InvalidClient, "Client not found.");
            return ValueTask.CompletedTask;
        }

        if (string.IsNullOrEmpty(context.RedirectUri)
            || !client.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
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
