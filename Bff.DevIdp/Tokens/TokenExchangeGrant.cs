using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Mappers;
using Bff.DevIdp.Realms;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Keycloak 26's standard token exchange (RFC 8693, internal to internal): a confidential client that allows it
/// (<c>standard.token.exchange.enabled</c>) trades a user's access token it is an audience of for one aimed at
/// another client of the realm: same user and session, <c>azp</c> the requester, <c>aud</c> the requested audience.
/// Like Keycloak's V2 exchange no refresh token is issued.
/// </summary>
internal static class TokenExchangeGrant
{
    public static async Task<IResult> HandleAsync(HttpContext context, DevIdpState state, DevIdpRealm realm, DevIdpClient client, OpenIddictRequest request)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } subject || AccessTokenContext.Find(state, realm, subject) is not { } original)
        {
            return TokenEndpoint.Error(Errors.InvalidRequest, "Invalid token");
        }

        IReadOnlyList<string> scopes = request.Scope is { Length: > 0 } ? GrantedScopes.For(client, request.GetScopes()) : [.. original.Scopes];

        // As Keycloak 26: the audience must be one the requester's own access token would carry (an audience
        // mapper in its scopes, or the audience's client roles through "audience resolve"); a token exchange
        // narrows the audience, it never widens it.
        var audience = request.Audiences?.FirstOrDefault();
        if (audience is not null && !TokenClaimsBuilder.Build(new ClaimsRequest(realm, client, original.User, original.Session, scopes), ClaimTarget.AccessToken)
                .Audiences.Contains(audience, StringComparer.Ordinal))
        {
            return TokenEndpoint.Error(Errors.InvalidRequest, "Requested audience not available: " + audience);
        }

        original.Session?.Clients.TryAdd(client.ClientId, 0);
        return TokenEndpoint.Issue(context, state, new TokenRequestInfo(realm, client, original.User, original.Session, scopes,
            null, null, state.Now) { Audience = audience });
    }
}

/// <summary>
/// Keycloak's checks of a token exchange, in its order, once OpenIddict has validated the subject token (signature,
/// lifetime, type; GrantValidator its session) and before OpenIddict's own holder check: the requested token type,
/// the audience client, then the requester's place in the subject token's audience.
/// </summary>
/// <remarks>
/// Whether the audience is reachable through the requester's client scopes is checked when the token is made
/// (<see cref="TokenExchangeGrant"/>), where the mappers run.
/// </remarks>
internal sealed class TokenExchangeValidator : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (context.Request.GrantType != GrantTypes.TokenExchange || context.SubjectTokenPrincipal is not { } subject)
        {
            return ValueTask.CompletedTask;
        }

        var realm = context.Transaction.GetHttpRequest()!.HttpContext.GetRealm();
        if (context.Request.RequestedTokenType is { Length: > 0 } requested && requested != TokenTypeIdentifiers.AccessToken)
        {
            // Keycloak issues refresh tokens by exchange only when the client opts in; the DevIdp never does.
            context.Reject(Errors.InvalidRequest, "requested_token_type unsupported");
            return ValueTask.CompletedTask;
        }

        var audiences = context.Request.Audiences ?? [];
        if (audiences.Length > 1)
        {
            context.Reject(Errors.InvalidRequest, "Multiple audiences not supported");
            return ValueTask.CompletedTask;
        }

        if (audiences.Length == 1 && realm.FindClient(audiences[0]) is null)
        {
            context.Reject(Errors.InvalidClient, "Audience not found");
            return ValueTask.CompletedTask;
        }

        if (audiences.Length == 1 && realm.FindClient(audiences[0]) is { Enabled: false })
        {
            context.Reject(Errors.InvalidClient, "Client disabled");
            return ValueTask.CompletedTask;
        }

        // A client cannot trade a token it was never meant to receive; the token's holder (azp) is exempt, as in Keycloak.
        var clientId = context.ClientId ?? string.Empty;
        if (subject.GetClaim("azp") != clientId && !subject.GetAudiences().Contains(clientId, StringComparer.Ordinal))
        {
            context.Reject(Errors.AccessDenied, "Client is not within the token audience");
            return ValueTask.CompletedTask;
        }

        // Note: OpenIddict then demands that the requester be the token's presenter; Keycloak lets any client in the
        // audience exchange it, so the audience member joins the presenters of this request's copy of the principal.
        if (!subject.GetPresenters().Contains(clientId, StringComparer.Ordinal))
        {
            context.SubjectTokenPrincipal = subject.Clone(_ => true).SetPresenters([.. subject.GetPresenters(), clientId]);
        }

        return ValueTask.CompletedTask;
    }
}
