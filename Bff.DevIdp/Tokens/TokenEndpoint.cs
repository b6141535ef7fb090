using System.Security.Claims;
using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Login;
using Bff.DevIdp.Realms;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// The token endpoint after OpenIddict authenticated the client (ClientAuthenticator) and validated the code or
/// refresh token (GrantValidator): build fresh Keycloak-shaped claims and let OpenIddict sign the tokens.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, DevIdpState state, ILogger<DevIdpState> logger)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OpenID Connect request.");
        var realm = context.GetRealm();
        var client = realm.FindClient(request.ClientId) ?? throw new InvalidOperationException("The client was not authenticated.");
        var now = state.Now;

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Continue(context, state, realm, client, result.Principal!, now);
        }

        if (request.IsPasswordGrantType())
        {
            var (outcome, user) = UserAuthenticator.Authenticate(realm, request.Username, request.Password);
            if (outcome != LoginOutcome.Success || user is null)
            {
                DevIdpLog.LoginFailed(logger, realm.Name, outcome == LoginOutcome.Disabled ? "account disabled" : "invalid credentials");
                return Error(Errors.InvalidGrant, outcome == LoginOutcome.Disabled ? "Account disabled" : "Invalid user credentials");
            }

            var session = state.Sessions.Create(realm, user, now);
            session.Clients.TryAdd(client.ClientId, 0);
            return Issue(context, state, new TokenRequestInfo(realm, client, user, session, GrantedScopes.For(client, request.GetScopes()),
                Guid.NewGuid().ToString("N"), NewId(), now));
        }

        if (request.IsClientCredentialsGrantType())
        {
            var serviceAccount = realm.FindServiceAccount(client.ClientId);
            if (serviceAccount is not { Enabled: true })
            {
                return Error(Errors.UnauthorizedClient, "Client not enabled to retrieve service account");
            }

            // No SSO session and no refresh token for a service account, as in Keycloak 12+.
            return Issue(context, state, new TokenRequestInfo(realm, client, serviceAccount, null,
                GrantedScopes.For(client, request.GetScopes()), null, null, now));
        }

        if (request.IsTokenExchangeGrantType())
        {
            return await TokenExchangeGrant.HandleAsync(context, state, realm, client, request);
        }

        return Error(Errors.UnsupportedGrantType, "Unsupported grant_type");
    }

    private static IResult Continue(HttpContext context, DevIdpState state, DevIdpRealm realm, DevIdpClient client, ClaimsPrincipal previous, DateTimeOffset now)
    {
        var user = realm.FindUserById(previous.GetClaim(Claims.Subject));
        if (user is not { Enabled: true })
        {
            return Error(Errors.InvalidGrant, "User disabled or not found");
        }

        var session = state.Sessions.Find(previous.GetClaim(DevIdpClaims.SessionId));
        if (session is not null)
        {
            session.Touch(now);
            session.Clients.TryAdd(client.ClientId, 0);
        }

        // Claims are rebuilt from the realm (roles may have changed); scopes and the grant stay.
        return Issue(context, state, new TokenRequestInfo(realm, client, user, session, previous.GetScopes().ToList(),
            previous.GetClaim(DevIdpClaims.GrantId), NewId(), now));
    }

    internal static IResult Issue(HttpContext context, DevIdpState state, TokenRequestInfo info)
    {
        context.Items[TokenPrincipalFactory.HttpContextItemKey] = info;
        if (info.GrantId is not null && info.RefreshTokenId is not null && info.Client.UseRefreshTokens)
        {
            state.Grants.Issued(info.GrantId, info.Session?.Id, info.Client.ClientId, info.RefreshTokenId);
        }

        return Results.SignIn(TokenPrincipalFactory.Create(info), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    internal static IResult Error(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
