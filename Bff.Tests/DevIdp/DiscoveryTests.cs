using System.Net;
using System.Text.Json;
using Bff.Tests.TestInfra;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.DevIdp;

public class DiscoveryTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    [Fact]
    public async Task Discovery_document_has_Keycloak_issuer_and_endpoints()
    {
        var document = await CodeFlow.GetJsonAsync(new Uri(idp.Authority + "/.well-known/openid-configuration"));
        var issuer = idp.Authority.AbsoluteUri;

        Assert.Equal($"{idp.Server.BaseAddress}realms/bff", issuer);
        Assert.Equal(issuer, document.GetProperty("issuer").GetString());
        Assert.Equal($"{issuer}/protocol/openid-connect/auth", document.GetProperty("authorization_endpoint").GetString());
        Assert.Equal($"{issuer}/protocol/openid-connect/token", document.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{issuer}/protocol/openid-connect/userinfo", document.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal($"{issuer}/protocol/openid-connect/logout", document.GetProperty("end_session_endpoint").GetString());
        Assert.Equal($"{issuer}/protocol/openid-connect/certs", document.GetProperty("jwks_uri").GetString());
        Assert.Equal($"{issuer}/protocol/openid-connect/revoke", document.GetProperty("revocation_endpoint").GetString());
        Assert.Equal($"{issuer}/protocol/openid-connect/token/introspect", document.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(["S256"], document.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["RS256"], document.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("form_post", document.GetProperty("response_modes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("refresh_token", document.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    // Keycloak advertises all four as true. The DevIdp sends back-channel logout tokens with sid, so it
    // says so; it has no front-channel logout, so it says false rather than copy Keycloak.
    [Fact]
    public async Task Discovery_document_advertises_back_channel_logout_with_sid_and_no_front_channel_logout()
    {
        var document = await CodeFlow.GetJsonAsync(new Uri(idp.Authority + "/.well-known/openid-configuration"));

        Assert.Equal(JsonValueKind.True, document.GetProperty("backchannel_logout_supported").ValueKind);
        Assert.Equal(JsonValueKind.True, document.GetProperty("backchannel_logout_session_supported").ValueKind);
        Assert.Equal(JsonValueKind.False, document.GetProperty("frontchannel_logout_supported").ValueKind);
        Assert.Equal(JsonValueKind.False, document.GetProperty("frontchannel_logout_session_supported").ValueKind);
    }

    [Fact]
    public async Task Jwks_publishes_an_RS256_key_with_kid_that_verifies_issued_tokens()
    {
        var jwks = new JsonWebKeySet((await CodeFlow.GetJsonAsync(idp.Endpoint("certs"))).GetRawText());
        var key = Assert.Single(jwks.Keys);
        Assert.Equal("RSA", key.Kty);
        Assert.Equal("RS256", key.Alg);
        Assert.Equal("sig", key.Use);
        Assert.False(string.IsNullOrEmpty(key.Kid));
        Assert.False(key.HasPrivateKey);

        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob);
        var token = CodeFlow.Read(tokens.AccessToken!);
        Assert.Equal("RS256", token.Alg);
        Assert.Equal(key.Kid, token.Kid);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = idp.Authority.AbsoluteUri,
            ValidAudience = "bff",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Unknown_realm_is_not_found()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(idp.Server.BaseAddress, "realms/nope/.well-known/openid-configuration"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Endpoints_are_only_served_under_the_realm_path()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(idp.Server.BaseAddress, ".well-known/openid-configuration"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
