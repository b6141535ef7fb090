using System.Text.Json;
using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Mappers;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Keycloak's introspection of an access token runs the mappers again for introspection
/// (<c>introspection.token.claim</c>), so a lightweight access token still introspects to every claim, roles
/// included. The response also names <c>client_id</c>, <c>username</c> and <c>token_type</c> as Keycloak's does.
/// </summary>
internal sealed class IntrospectionClaims(DevIdpState state) : IOpenIddictServerHandler<HandleIntrospectionRequestContext>
{
    public ValueTask HandleAsync(HandleIntrospectionRequestContext context)
    {
        if (context.GenericTokenPrincipal is not { } principal || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken)
            || context.Transaction.GetHttpRequest()?.HttpContext.FindRealm() is not { } realm
            || AccessTokenContext.Find(state, realm, principal) is not { } request)
        {
            return ValueTask.CompletedTask;
        }

        var mapped = TokenClaimsBuilder.Build(request, ClaimTarget.Introspection);
        context.Claims.Clear();
        context.Claims["typ"] = "Bearer";
        context.Claims["azp"] = request.Client.ClientId;
        if (request.Session is not null)
        {
            context.Claims[DevIdpClaims.SessionId] = request.Session.Id;
        }

        foreach (var (type, value) in mapped.Claims)
        {
            if (value is not null)
            {
                context.Claims[type] = new OpenIddictParameter(JsonSerializer.SerializeToElement(value));
            }
        }

        context.Subject = mapped.Claims["sub"]?.GetValue<string>();
        context.Username = request.User.Username;
        context.ClientId = request.Client.ClientId;
        context.TokenType = "Bearer";
        context.TokenUsage = null;
        context.Audiences.Clear();
        foreach (var audience in mapped.Audiences)
        {
            context.Audiences.Add(audience);
        }

        return ValueTask.CompletedTask;
    }
}
