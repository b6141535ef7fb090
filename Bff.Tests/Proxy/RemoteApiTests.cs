using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Proxy;

public sealed class RemoteApiTests : IAsyncLifetime
{
    private TokenTestRig stack = null!;

    public async Task InitializeAsync() => stack = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task The_proxy_forwards_the_users_token_and_no_browser_credentials()
    {
        using var browser = await stack.SignInAsync("alice");

        var response = await browser.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("alice", body.GetProperty("preferred_username").GetString());
        Assert.Contains("admin", body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("/whoami", body.GetProperty("path").GetString());
        var headers = body.GetProperty("received_headers").EnumerateArray().Select(h => h.GetString()).ToList();
        Assert.Contains("authorization", headers);
        Assert.DoesNotContain("cookie", headers);
        Assert.DoesNotContain("x-csrf", headers);
    }

    [Fact]
    public async Task The_proxy_refreshes_an_expired_token_before_forwarding()
    {
        using var browser = await stack.SignInAsync("alice");
        var before = await (await browser.GetApiAsync("/api/remote/whoami")).Content.ReadFromJsonAsync<JsonElement>();
        await stack.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        var grants = stack.RefreshGrants;

        var after = await browser.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var body = await after.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(grants + 1, stack.RefreshGrants);
        Assert.NotEqual(before.GetProperty("token_fingerprint").GetString(), body.GetProperty("token_fingerprint").GetString());
    }

    [Fact]
    public async Task The_proxy_requires_the_antiforgery_header()
    {
        using var browser = await stack.SignInAsync("alice");

        var response = await browser.GetApiAsync("/api/remote/whoami", antiforgery: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_anonymous_call_is_401_json_and_never_reaches_the_downstream_api()
    {
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);

        var response = await anonymous.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reauthentication_required", problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Cookies_set_by_the_downstream_api_are_dropped()
    {
        using var browser = await stack.SignInAsync("alice");
        var tokens = await stack.PasswordGrantAsync("alice");
        using var direct = new HttpClient { BaseAddress = stack.Downstream.BaseAddress };
        direct.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        var unproxied = await direct.GetAsync("set-cookie");
        Assert.Contains(unproxied.Headers.GetValues("Set-Cookie"), c => c.StartsWith("downstream=", StringComparison.Ordinal));

        var response = await browser.GetApiAsync("/api/remote/set-cookie");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("downstream=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_bearer_caller_is_forwarded_with_its_own_token()
    {
        var tokens = await stack.PasswordGrantAsync("bob");
        using var http = new HttpClient { BaseAddress = stack.Bff.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/remote/whoami");
        request.Headers.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("bob", body.GetProperty("preferred_username").GetString());
    }
}
