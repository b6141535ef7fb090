using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bff.DevIdp.Mappers;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Writes the claims of the client's scopes and mappers into the access token and the ID token, each with its own
/// set (a mapper may add a claim to one and not the other, or write a nested claim differently), just before
/// OpenIddict generates them. The audiences come from the audience mappers; the ID token's is the client first.
/// </summary>
internal sealed class MappedClaimsStamper : IOpenIddictServerHandler<ProcessSignInContext>
{
    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token
            || context.Transaction.GetHttpRequest()?.HttpContext.Items[TokenPrincipalFactory.HttpContextItemKey] is not TokenRequestInfo info)
        {
            return ValueTask.CompletedTask;
        }

        var request = new ClaimsRequest(info.Realm, info.Client, info.User, info.Session, info.Scopes);
        if (context.AccessTokenPrincipal is { } access)
        {
            StampAccessToken(access, request, info);
        }

        if (context.IdentityTokenPrincipal is { Identity: ClaimsIdentity idIdentity } id)
        {
            var mapped = TokenClaimsBuilder.Build(request, ClaimTarget.IdToken);
            ClaimWriter.Write(idIdentity, mapped.Claims);
            id.SetAudiences([info.Client.ClientId, .. mapped.Audiences.Where(a => a != info.Client.ClientId)]);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes an access token's mapped claims and audiences (the exchange's one audience, when it is one).</summary>
    public static void StampAccessToken(ClaimsPrincipal access, ClaimsRequest request, TokenRequestInfo info)
    {
        if (access.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        var mapped = TokenClaimsBuilder.Build(request, ClaimTarget.AccessToken);
        ClaimWriter.Write(identity, mapped.Claims);

        // Keycloak's access token names its subject only through the sub mapper (scope "basic"), which
        // lightweight access tokens leave out unless it is marked lightweight.
        if (!mapped.Claims.ContainsKey(Claims.Subject))
        {
            access.RemoveClaims(Claims.Subject);
        }

        access.SetAudiences(info.Audience is { } exchangedFor ? [exchangedFor] : [.. mapped.Audiences]);
    }
}

/// <summary>
/// A token exchange's answer is OpenIddict's "issued token", made from its own principal: it gets the access
/// token's mapped claims, audience and <c>typ</c> just before it is generated.
/// </summary>
internal sealed class ExchangedTokenStamper : IOpenIddictServerHandler<ProcessSignInContext>
{
    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.IssuedTokenPrincipal is { } issued
            && context.IssuedTokenType == TokenTypeIdentifiers.AccessToken
            && context.Transaction.GetHttpRequest()?.HttpContext.Items[TokenPrincipalFactory.HttpContextItemKey] is TokenRequestInfo info)
        {
            MappedClaimsStamper.StampAccessToken(issued, new ClaimsRequest(info.Realm, info.Client, info.User, info.Session, info.Scopes), info);
            issued.SetClaim("typ", "Bearer");
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Turns a JSON claim set into typed <see cref="Claim"/>s that the JWT handler writes back as the same JSON.</summary>
internal static class ClaimWriter
{
    public static void Write(ClaimsIdentity identity, JsonObject claims)
    {
        foreach (var (type, value) in claims)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var existing in identity.FindAll(type).ToList())
            {
                identity.RemoveClaim(existing);
            }

            identity.AddClaim(ToClaim(type, value));
        }
    }

    private static Claim ToClaim(string type, JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => new Claim(type, value.GetValue<string>()),
        JsonValueKind.True or JsonValueKind.False => new Claim(type, value.GetValueKind() == JsonValueKind.True ? "true" : "false", ClaimValueTypes.Boolean),
        JsonValueKind.Number => new Claim(type, value.ToJsonString(),
            long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double),
        JsonValueKind.Array => new Claim(type, value.ToJsonString(), JsonClaimValueTypes.JsonArray),
        _ => new Claim(type, value.ToJsonString(), JsonClaimValueTypes.Json),
    };
}
