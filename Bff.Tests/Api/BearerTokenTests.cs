using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Bff.Tests.TestInfra;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Api;

/// <summary>Non-browser clients calling the BFF's API with Keycloak access tokens.</summary>
public sealed class BearerTokenTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    private Task<HttpResponseMessage> CallAsync(string path, string token)
    {
        var http = new HttpClient { BaseAddress = rig.Bff.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    [Fact]
    public async Task A_password_grant_access_token_calls_the_api_without_antiforgery_header_and_carries_roles()
    {
        var tokens = await rig.PasswordGrantAsync("alice");

        var response = await CallAsync("/bff/user", tokens.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Select(c => (c.GetProperty("type").GetString(), c.GetProperty("value").GetString())).ToList();
        Assert.Contains(("preferred_username", "alice"), claims);
        Assert.Contains(("role", "admin"), claims);
        Assert.Contains(("bff:authentication", "bearer"), claims);
        Assert.Contains(claims, c => c.Item1 == "bff_user_id");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var real = new JsonWebToken((await rig.PasswordGrantAsync("alice")).GetProperty("access_token").GetString());
        using var rsa = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = real.Issuer,
            Audience = "bff",
            Claims = new Dictionary<string, object> { ["sub"] = TestUsers.Alice.Id, ["preferred_username"] = "alice", ["typ"] = "Bearer" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            // Same key id as the realm's real key: only the signature tells them apart.
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = real.Kid }, SecurityAlgorithms.RsaSha256),
        });

        var response = await CallAsync("/bff/user", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unsigned_or_symmetric_token_is_401()
    {
        var real = new JsonWebToken((await rig.PasswordGrantAsync("alice")).GetProperty("access_token").GetString());
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = real.Issuer,
            Audience = "bff",
            Claims = new Dictionary<string, object> { ["sub"] = TestUsers.Alice.Id, ["preferred_username"] = "alice" },
            Expires = DateTime.UtcNow.AddMinutes(5),
        };
        var unsigned = new JsonWebTokenHandler().CreateToken(descriptor);
        descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256);
        var hs256 = new JsonWebTokenHandler().CreateToken(descriptor);

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync("/bff/user", unsigned)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync("/bff/user", hs256)).StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        // The admin tool's service-account token is real and validly signed, but not issued for bff.
        using var http = new HttpClient();
        var response = await http.PostAsync(new Uri(rig.Idp.Authority().AbsoluteUri + "/protocol/openid-connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "bff-admin-tool",
            ["client_secret"] = "bff-admin-tool-secret",
        }));
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.DoesNotContain("bff", new JsonWebToken(token).Audiences);

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync("/api/notes", token)).StatusCode);
    }

    [Fact]
    public async Task An_id_token_is_not_an_access_token()
    {
        var idToken = (await rig.PasswordGrantAsync("alice")).GetProperty("id_token").GetString()!;
        Assert.Contains("bff", new JsonWebToken(idToken).Audiences); // it would pass an audience check alone

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync("/api/notes", idToken)).StatusCode);
    }

    [Fact]
    public async Task A_bearer_call_ignores_the_cookie_it_also_carries()
    {
        using var browser = await rig.SignInAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/user");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        var response = await browser.SendAsync(request, followRedirects: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

/// <summary>Expired bearer tokens, with access tokens that live one second and no clock tolerance.</summary>
public sealed class ExpiredBearerTokenTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        accessTokenLifespan: TimeSpan.FromSeconds(1),
        bffSettings: new Dictionary<string, string?> { ["Bff:BearerClockSkew"] = "00:00:00" });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var token = (await rig.PasswordGrantAsync("alice")).GetProperty("access_token").GetString()!;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var http = new HttpClient { BaseAddress = rig.Bff.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await http.GetAsync("/api/notes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }
}
