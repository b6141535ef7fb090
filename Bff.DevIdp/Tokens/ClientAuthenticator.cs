using Bff.DevIdp.Endpoints;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Client authentication (client_secret_basic or client_secret_post) and grant permissions for the token,
/// introspection, revocation and pushed authorization endpoints; runs before the code or refresh token is looked at, so a wrong
/// secret never burns a code.
/// </summary>
internal sealed class ClientAuthenticator(DevIdpState state, ILogger<ClientAuthenticator> logger) :
    IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateIntrospectionRequestContext>,
    IOpenIddictServerHandler<ValidateRevocationRequestContext>,
    IOpenIddictServerHandler<ValidatePushedAuthorizationRequestContext>
{
    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        state.CountTokenRequest(context.Request.GrantType);
        if (context.Request.GrantType == GrantTypes.RefreshToken && state.RefreshDelay > TimeSpan.Zero
            && !await HoldAsync(context.Transaction.GetHttpRequest()!.HttpContext.RequestAborted))
        {
            // The client went away while held: like a request that never reached the server, the
            // refresh token is not looked at, so it is not used up.
            context.Reject(Errors.TemporarilyUnavailable, "Request aborted");
            return;
        }

        var client = Authenticate(context);
        if (client is null)
        {
            return;
        }

        if (context.Request.GrantType == GrantTypes.TokenExchange)
        {
            // Keycloak answers invalid_request when no exchange provider takes the request, and refuses public
            // clients only after the opt-in.
            if (!client.StandardTokenExchangeEnabled)
            {
                context.Reject(Errors.InvalidRequest, "Standard token exchange is not enabled for the requested client");
            }
            else if (client.PublicClient)
            {
                context.Reject(Errors.InvalidClient, "Public client is not allowed to exchange token");
            }

            return;
        }

        var (allowed, description) = context.Request.GrantType switch
        {
            GrantTypes.AuthorizationCode => (client.StandardFlowEnabled, "Client not allowed for the authorization code flow"),
            GrantTypes.RefreshToken => (true, string.Empty),
            GrantTypes.Password => (client.DirectAccessGrantsEnabled, "Client not allowed for direct access grants"),
            GrantTypes.ClientCredentials => (client.ServiceAccountsEnabled && !client.PublicClient, "Client not enabled to retrieve service account"),
            _ => (false, "Unsupported grant_type"),
        };
        if (!allowed)
        {
            context.Reject(Errors.UnauthorizedClient, description);
        }
    }

    public ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
    {
        Authenticate(context);
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ValidateRevocationRequestContext context)
    {
        Authenticate(context);
        return ValueTask.CompletedTask;
    }

    /// <summary>The slow-token-endpoint test hook: false when the client went away meanwhile.</summary>
    private async Task<bool> HoldAsync(CancellationToken requestAborted)
    {
        state.CountHeldRefresh();
        try
        {
            await Task.Delay(state.RefreshDelay, requestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// A pushed authorization request (RFC 9126) is a back-channel call: the confidential client
    /// authenticates as at the token endpoint, and must be allowed the browser flow it starts.
    /// </summary>
    public ValueTask HandleAsync(ValidatePushedAuthorizationRequestContext context)
    {
        state.CountPushedAuthorizationRequest();
        if (Authenticate(context, context.ClientId, context.Request.ClientSecret) is { StandardFlowEnabled: false })
        {
            context.Reject(Errors.UnauthorizedClient, "Client is not allowed to initiate browser login: standard flow is disabled.");
        }

        return ValueTask.CompletedTask;
    }

    private Realms.DevIdpClient? Authenticate(OpenIddictServerEvents.BaseValidatingClientContext context) =>
        Authenticate(context, context.ClientId, context.ClientSecret);

    private Realms.DevIdpClient? Authenticate(OpenIddictServerEvents.BaseValidatingContext context, string? clientId, string? clientSecret)
    {
        var realm = context.Transaction.GetHttpRequest()!.HttpContext.GetRealm();
        var client = realm.FindClient(clientId);
        var valid = client is { Enabled: true }
            && (client.PublicClient
                ? string.IsNullOrEmpty(clientSecret)
                : SecretComparer.Matches(client.Secret, clientSecret));
        if (!valid)
        {
            DevIdpLog.ClientAuthenticationFailed(logger, realm.Name, clientId);
            context.Reject(Errors.InvalidClient, "Invalid client or Invalid client credentials");
            return null;
        }

        return client;
    }
}
