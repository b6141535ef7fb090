using System.Security.Cryptography;
using System.Text;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Login;

/// <summary>
/// Proves that the handler's token validation parameters, as AddBff configures them, accept an
/// RS256 ID token and refuse HS256 and unsigned ones, even when the attacker's key is trusted.
/// </summary>
public class SignAlgorithmTests
{
    private const string Issuer = "https://idp.example.test/realms/bff";

    private static TokenValidationParameters Parameters(SecurityKey key, IDictionary<string, string?>? overrides = null)
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder, overrides);
        var options = host.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        var parameters = options.TokenValidationParameters.Clone();
        parameters.ValidIssuer = Issuer;
        parameters.ValidAudience = options.ClientId;
        parameters.IssuerSigningKey = key;
        return parameters;
    }

    private static string Token(SigningCredentials? credentials)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = "bff",
            Claims = new Dictionary<string, object> { ["sub"] = "1", ["nonce"] = "n" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = credentials,
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    // The control: the same token with the same key passes once the algorithm list is lifted,
    // so the refusal above is the algorithm restriction and nothing else.
    private static async Task AssertValidWithoutAlgorithmRestrictionAsync(string token, TokenValidationParameters parameters)
    {
        var unrestricted = parameters.Clone();
        unrestricted.ValidAlgorithms = null;
        var control = await new JsonWebTokenHandler().ValidateTokenAsync(token, unrestricted);
        Assert.True(control.IsValid, control.Exception?.Message);
    }

    [Fact]
    public async Task An_RS256_ID_token_is_accepted()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "k" };

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(Token(new SigningCredentials(key, SecurityAlgorithms.RsaSha256)), Parameters(key));

        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task An_HS256_ID_token_is_refused_even_with_a_trusted_symmetric_key()
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("bff-dev-secret-bff-dev-secret-32b!"));

        var token = Token(new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        var parameters = Parameters(key);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);

        Assert.False(result.IsValid);
        await AssertValidWithoutAlgorithmRestrictionAsync(token, parameters);
    }

    [Fact]
    public async Task An_unsigned_ID_token_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(Token(null), Parameters(key));

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Only_the_configured_algorithm_is_accepted()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa);

        var token = Token(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        var parameters = Parameters(key, new Dictionary<string, string?> { ["Oidc:SignAlgorithm"] = "PS256" });

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);

        Assert.False(result.IsValid);
        await AssertValidWithoutAlgorithmRestrictionAsync(token, parameters);
    }

    [Fact]
    public void The_handler_is_a_confidential_code_flow_client_with_PKCE_and_form_post()
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder, new Dictionary<string, string?> { ["Oidc:Scopes"] = "phone notes" });
        var options = host.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(BffAuthenticationDefaults.OpenIdConnectScheme);

        Assert.Equal("code", options.ResponseType);
        Assert.Equal("form_post", options.ResponseMode);
        Assert.True(options.UsePkce);
        Assert.False(options.MapInboundClaims);
        Assert.Equal("secret", options.ClientSecret);
        Assert.Equal("preferred_username", options.TokenValidationParameters.NameClaimType);
        Assert.Equal("role", options.TokenValidationParameters.RoleClaimType);
        Assert.Equal(["openid", "profile", "email", "phone", "notes"], options.Scope);
        Assert.True(options.RequireHttpsMetadata);
        Assert.Equal(Issuer + "/.well-known/openid-configuration", options.MetadataAddress);
    }

    [Fact]
    public void Oidc_MetadataAddress_is_the_discovery_address_the_server_uses()
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder, new Dictionary<string, string?> { ["Oidc:MetadataAddress"] = "https://keycloak.internal:8443/realms/bff/.well-known/openid-configuration" });
        var options = host.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(BffAuthenticationDefaults.OpenIdConnectScheme);

        Assert.Equal("https://keycloak.internal:8443/realms/bff/.well-known/openid-configuration", options.MetadataAddress);
        Assert.Equal(Issuer, options.Authority);
    }
}
