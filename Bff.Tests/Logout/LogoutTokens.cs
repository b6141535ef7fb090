using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Logout;

/// <summary>
/// Signs logout tokens in the test, shaped like Keycloak's (typ JWT, events, sid, sub, jti, iat, no exp
/// unless given), so each rule of the validator can be broken one at a time.
/// </summary>
public sealed class LogoutTokens(RsaSecurityKey key, string issuer, string audience, Func<DateTimeOffset> now)
{
    public const string Event = "http://schemas.openid.net/event/backchannel-logout";

    public static RsaSecurityKey NewKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    /// <summary>The claims of a valid token; tests change or remove some before <see cref="Sign"/>.</summary>
    public Dictionary<string, object> Claims(string? sid = "sid-1", string? sub = "sub-1")
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now().ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["events"] = new Dictionary<string, object> { [Event] = new Dictionary<string, object>() },
        };
        if (sid is not null)
        {
            claims["sid"] = sid;
        }

        if (sub is not null)
        {
            claims["sub"] = sub;
        }

        return claims;
    }

    public string Sign(Dictionary<string, object> claims, string type = "JWT", RsaSecurityKey? signingKey = null, string algorithm = SecurityAlgorithms.RsaSha256) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = type,
            SigningCredentials = new SigningCredentials(signingKey ?? key, algorithm),
        });

    public string Valid(string? sid = "sid-1", string? sub = "sub-1") => Sign(Claims(sid, sub));
}
