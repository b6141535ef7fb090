using Bff.Security.Internal;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Api;

public class AccessTokenTypeTests
{
    private static JsonWebToken Token(string? headerTyp, Dictionary<string, object> claims)
    {
        var descriptor = new SecurityTokenDescriptor { Claims = claims, TokenType = headerTyp };
        return new JsonWebToken(new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor));
    }

    [Theory]
    [InlineData("Bearer", true)]
    [InlineData("bearer", true)]
    [InlineData("ID", false)]
    [InlineData("Refresh", false)]
    [InlineData("Logout", false)]
    public void Keycloaks_typ_claim_decides(string typ, bool accepted) =>
        Assert.Equal(accepted, ConfigureBearerFromOpenIdConnect.IsAccessTokenType(Token("JWT", new() { ["typ"] = typ })));

    [Fact]
    public void An_RFC_9068_access_token_is_accepted() =>
        Assert.True(ConfigureBearerFromOpenIdConnect.IsAccessTokenType(Token("at+jwt", new() { ["sub"] = "x" })));

    [Theory]
    [InlineData("nonce")]
    [InlineData("at_hash")]
    [InlineData("c_hash")]
    [InlineData("events")]
    public void An_unmarked_token_with_id_or_logout_token_claims_is_refused(string claim) =>
        Assert.False(ConfigureBearerFromOpenIdConnect.IsAccessTokenType(Token("JWT", new() { ["sub"] = "x", [claim] = "v" })));

    [Fact]
    public void A_logout_token_is_refused() =>
        Assert.False(ConfigureBearerFromOpenIdConnect.IsAccessTokenType(Token("logout+jwt", new() { ["sub"] = "x" })));

    [Fact]
    public void A_plain_access_token_of_another_provider_is_accepted() =>
        Assert.True(ConfigureBearerFromOpenIdConnect.IsAccessTokenType(Token("JWT", new() { ["sub"] = "x", ["scope"] = "openid" })));
}
