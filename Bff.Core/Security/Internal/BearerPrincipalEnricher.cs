using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bff.Claims;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Security.Internal;

/// <summary>
/// Gives a bearer-token caller the same principal a cookie login gets: Keycloak roles and groups
/// as role claims (through <see cref="IKeycloakClaimsMapper"/>) and the local user (through
/// <see cref="IUserMapper"/>, whose id lands in <see cref="BffClaimTypes.UserId"/>).
/// </summary>
internal static class BearerPrincipalEnricher
{
    public static async Task EnrichAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || context.SecurityToken is not JsonWebToken jwt)
        {
            context.Fail("The bearer token could not be read.");
            return;
        }

        var subject = identity.FindFirst("sub");
        if (subject is null || string.IsNullOrEmpty(subject.Value))
        {
            context.Fail("The bearer token has no sub claim.");
            return;
        }

        var services = context.HttpContext.RequestServices;
        var claimsMapper = services.GetRequiredService<IKeycloakClaimsMapper>();
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var authorization = claimsMapper.Read(payload.RootElement, context.Options.Audience ?? "");
        claimsMapper.AddClaims(identity, authorization, subject.Issuer);

        // As at sign-in: a local user is never written without a user name (Bff:Users:UserNameClaims).
        var userNameClaims = services.GetRequiredService<IOptionsMonitor<SecuritySettings>>().CurrentValue.Users.EffectiveUserNameClaims;
        var userName = userNameClaims.Select(c => identity.FindFirst(c)?.Value?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (userName is null)
        {
            context.Fail($"The bearer token has none of the user-name claims ({string.Join(", ", userNameClaims)}).");
            return;
        }

        var login = UserLoginInfoFactory.Create(identity, subject, authorization, userName);
        // A client sends one token many times: map its user once per token, not once per call (the
        // mapping writes the user row). A new token (new claims) maps again.
        var cache = services.GetRequiredService<IMemoryCache>();
        var cacheKey = "bff:bearer-user:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(jwt.EncodedToken)));
        if (!cache.TryGetValue(cacheKey, out string? userId) || userId is null)
        {
            var result = await services.GetRequiredService<IUserMapper>().MapAsync(login, context.HttpContext.RequestAborted);
            if (!result.Succeeded)
            {
                context.Fail($"The user mapping refused the bearer token's user ({result.Error}).");
                return;
            }

            userId = result.User!.Id.ToString("D");
            cache.Set(cacheKey, userId, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        }

        identity.AddClaim(new Claim(BffClaimTypes.UserId, userId, ClaimValueTypes.String, subject.Issuer));
    }
}
