using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Users;

public sealed class UserEndpointTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task A_signed_in_user_gets_claims_and_management_claims_but_no_token()
    {
        using var browser = await rig.SignInAsync("alice");

        var response = await browser.GetApiAsync("/bff/user");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var raw = await response.Content.ReadAsStringAsync();
        var claims = JsonSerializer.Deserialize<JsonElement>(raw).EnumerateArray()
            .Select(c => (Type: c.GetProperty("type").GetString()!, Value: c.GetProperty("value").GetString()!)).ToList();
        Assert.Contains(("preferred_username", "alice"), claims);
        Assert.Contains(("role", "admin"), claims);
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.Contains(("bff:logout_url", "/bff/logout?sid=" + Uri.EscapeDataString(session.SessionId!)), claims);
        Assert.Contains(("bff:api_access", "true"), claims);
        Assert.Contains(("bff:authentication", "cookie"), claims);
        var expiresIn = long.Parse(claims.Single(c => c.Type == "bff:session_expires_in").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresIn, 1, (long)TimeSpan.FromHours(10).TotalSeconds);

        // Never a token, in any form.
        Assert.DoesNotContain(session.Tokens!.AccessToken, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Tokens.RefreshToken!, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Tokens.IdToken!, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(claims, c => c.Type.Contains("token", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Without_the_antiforgery_header_a_signed_in_call_is_401_json()
    {
        using var browser = await rig.SignInAsync("alice");

        var response = await browser.GetApiAsync("/bff/user", antiforgery: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("antiforgery_header_missing", problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_wrong_antiforgery_value_is_refused()
    {
        using var browser = await rig.SignInAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/user");
        request.Headers.Add("X-CSRF", "0");

        var response = await browser.SendAsync(request, followRedirects: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Anonymous_is_401_json_never_a_redirect(bool antiforgery)
    {
        using var anonymous = new BrowserClient(rig.Bff.BaseAddress);

        var response = await anonymous.GetApiAsync("/bff/user", antiforgery);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
