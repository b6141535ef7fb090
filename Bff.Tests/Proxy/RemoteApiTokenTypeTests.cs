using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Proxy;

/// <summary>
/// Per-route token types over real HTTP: the DevIdp issues the tokens, a capturing server stands in
/// for each downstream API and the token it received is decoded (sub, azp, aud).
/// </summary>
public sealed class RemoteApiTokenTypeTests : IAsyncLifetime
{
    internal const string ServiceAccountId = "6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a06";
    internal const string ClientCredentials = "client_credentials";
    internal const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";

    private CapturingServer downstream = null!;
    private TokenTestRig stack = null!;

    public async Task InitializeAsync()
    {
        downstream = await CapturingServer.StartAsync();
        stack = await TokenTestRig.StartAsync(bffSettings: Routes(downstream));
    }

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        await downstream.DisposeAsync();
    }

    /// <summary>One route of each kind, all to <paramref name="downstream"/>.</summary>
    internal static Dictionary<string, string?> Routes(CapturingServer downstream, string exchangeAudience = TestClients.DownstreamApi) => new()
    {
        ["Bff:RemoteApis:AsClient:Path"] = "/api/as-client",
        ["Bff:RemoteApis:AsClient:Destination"] = downstream.BaseAddress.AbsoluteUri,
        ["Bff:RemoteApis:AsClient:Token"] = "Client",
        ["Bff:RemoteApis:Either:Path"] = "/api/either",
        ["Bff:RemoteApis:Either:Destination"] = downstream.BaseAddress.AbsoluteUri,
        ["Bff:RemoteApis:Either:Token"] = "UserOrClient",
        ["Bff:RemoteApis:Open:Path"] = "/api/open",
        ["Bff:RemoteApis:Open:Destination"] = downstream.BaseAddress.AbsoluteUri,
        ["Bff:RemoteApis:Open:Token"] = "None",
        ["Bff:RemoteApis:Exchanged:Path"] = "/api/exchanged",
        ["Bff:RemoteApis:Exchanged:Destination"] = downstream.BaseAddress.AbsoluteUri,
        ["Bff:RemoteApis:Exchanged:ExchangeAudience"] = exchangeAudience,
    };

    /// <summary>The payload of the bearer token the downstream API received with <paramref name="request"/>.</summary>
    internal static JsonElement ReceivedToken(CapturedRequest request)
    {
        Assert.True(request.Headers.TryGetValue("Authorization", out var authorization), "the downstream API got no Authorization header");
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        return CodeFlow.Payload(authorization["Bearer ".Length..]);
    }

    internal static IEnumerable<string?> Audiences(JsonElement payload) =>
        payload.GetProperty("aud").ValueKind == JsonValueKind.Array
            ? payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString())
            : [payload.GetProperty("aud").GetString()];

    [Fact]
    public async Task A_client_route_sends_the_bffs_service_account_token_to_anonymous_callers()
    {
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);

        var response = await anonymous.GetApiAsync("/api/as-client/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = await downstream.NextRequestAsync();
        Assert.Equal("/orders", received.Path);
        var token = ReceivedToken(received);
        Assert.Equal(ServiceAccountId, token.GetProperty("sub").GetString());
        Assert.Equal("service-account-bff", token.GetProperty("preferred_username").GetString());
        Assert.Equal("bff", token.GetProperty("azp").GetString());
        Assert.False(received.Headers.ContainsKey("Cookie"));
        Assert.False(received.Headers.ContainsKey("X-CSRF"));
    }

    [Fact]
    public async Task A_client_route_sends_the_client_token_to_a_signed_in_user_too()
    {
        using var browser = await stack.SignInAsync("alice");

        var response = await browser.GetApiAsync("/api/as-client/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ServiceAccountId, ReceivedToken(await downstream.NextRequestAsync()).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Anonymous_routes_still_demand_the_antiforgery_header_and_forward_nothing_without_it()
    {
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);

        foreach (var path in new[] { "/api/as-client/x", "/api/either/x", "/api/open/x" })
        {
            var response = await anonymous.GetApiAsync(path, antiforgery: false);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("antiforgery_header_missing", problem.GetProperty("error").GetString());
        }

        Assert.False(downstream.TryTake(out _), "nothing reached the downstream API");
        Assert.Equal(0, stack.Idp.TokenRequests(ClientCredentials));
    }

    [Fact]
    public async Task A_bearer_token_that_does_not_validate_is_refused_on_an_anonymous_route()
    {
        using var http = new HttpClient { BaseAddress = stack.Bff.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/either/x");
        request.Headers.Authorization = new("Bearer", "not-a-token");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(downstream.TryTake(out _));
    }

    [Fact]
    public async Task The_client_token_is_cached_and_fetched_once_for_many_concurrent_first_calls()
    {
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => anonymous.GetApiAsync("/api/as-client/x")));
        var later = await anonymous.GetApiAsync("/api/as-client/y");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(1, stack.Idp.TokenRequests(ClientCredentials));
        var tokens = new HashSet<string?>();
        for (var i = 0; i < 25; i++)
        {
            tokens.Add(ReceivedToken(await downstream.NextRequestAsync()).GetProperty("jti").GetString());
        }

        Assert.Single(tokens);
    }

    [Fact]
    public async Task User_or_client_sends_the_users_token_when_signed_in_and_the_client_token_otherwise()
    {
        using var browser = await stack.SignInAsync("alice");
        using var anonymous = new BrowserClient(stack.Bff.BaseAddress);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/api/either/x")).StatusCode);
        var asUser = ReceivedToken(await downstream.NextRequestAsync());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetApiAsync("/api/either/x")).StatusCode);
        var asClient = ReceivedToken(await downstream.NextRequestAsync());

        Assert.Equal(TestUsers.Alice.Id, asUser.GetProperty("sub").GetString());
        Assert.Contains("bff", Audiences(asUser));
        Assert.Equal(ServiceAccountId, asClient.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_none_route_forwards_no_token_at_all_not_even_a_bearer_callers()
    {
        using var browser = await stack.SignInAsync("alice");
        var tokens = await stack.PasswordGrantAsync("bob");
        using var http = new HttpClient { BaseAddress = stack.Bff.BaseAddress };
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/open/x");
        bearer.Headers.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());

        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/api/open/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);

        Assert.False((await downstream.NextRequestAsync()).Headers.ContainsKey("Authorization"));
        Assert.False((await downstream.NextRequestAsync()).Headers.ContainsKey("Authorization"));
        Assert.Equal(0, stack.Idp.TokenRequests(ClientCredentials));
    }

    [Fact]
    public async Task An_exchange_route_sends_the_users_token_exchanged_for_the_audience_and_caches_it_per_session()
    {
        using var alice = await stack.SignInAsync("alice");
        using var bob = await stack.SignInAsync("bob");

        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/exchanged/a")).StatusCode);
        var first = ReceivedToken(await downstream.NextRequestAsync());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/exchanged/b")).StatusCode);
        var second = ReceivedToken(await downstream.NextRequestAsync());
        Assert.Equal(1, stack.Idp.TokenRequests(TokenExchange));
        Assert.Equal(HttpStatusCode.OK, (await bob.GetApiAsync("/api/exchanged/c")).StatusCode);
        var bobs = ReceivedToken(await downstream.NextRequestAsync());

        Assert.Equal(TestClients.DownstreamApi, Audiences(first).Single());
        Assert.Equal("bff", first.GetProperty("azp").GetString());
        Assert.Equal(TestUsers.Alice.Id, first.GetProperty("sub").GetString());
        Assert.Equal(first.GetProperty("jti").GetString(), second.GetProperty("jti").GetString());
        Assert.Equal(TestUsers.Bob.Id, bobs.GetProperty("sub").GetString());
        Assert.Equal(2, stack.Idp.TokenRequests(TokenExchange));
    }

    [Fact]
    public async Task Another_session_of_the_same_user_gets_its_own_exchange()
    {
        using var first = await stack.SignInAsync("alice");
        using var second = await stack.SignInAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await first.GetApiAsync("/api/exchanged/a")).StatusCode);
        var one = ReceivedToken(await downstream.NextRequestAsync());
        Assert.Equal(HttpStatusCode.OK, (await second.GetApiAsync("/api/exchanged/a")).StatusCode);
        var two = ReceivedToken(await downstream.NextRequestAsync());

        Assert.Equal(2, stack.Idp.TokenRequests(TokenExchange));
        Assert.NotEqual(one.GetProperty("sid").GetString(), two.GetProperty("sid").GetString());
    }

    [Fact]
    public async Task When_the_users_token_is_refreshed_the_exchanged_token_is_exchanged_anew()
    {
        using var alice = await stack.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/exchanged/a")).StatusCode);
        var before = ReceivedToken(await downstream.NextRequestAsync());
        await stack.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        var refreshes = stack.RefreshGrants;

        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/exchanged/a")).StatusCode);
        var after = ReceivedToken(await downstream.NextRequestAsync());

        Assert.Equal(refreshes + 1, stack.RefreshGrants);
        Assert.Equal(2, stack.Idp.TokenRequests(TokenExchange));
        Assert.NotEqual(before.GetProperty("jti").GetString(), after.GetProperty("jti").GetString());
        Assert.Equal(TestClients.DownstreamApi, Audiences(after).Single());
    }

    [Fact]
    public async Task A_signed_out_session_reaches_no_exchanged_token()
    {
        using var alice = await stack.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/exchanged/a")).StatusCode);
        await downstream.NextRequestAsync();
        var session = await stack.SessionOfAsync(TestUsers.Alice.Id);
        await stack.Sessions.DeleteAsync(session.Key);

        var response = await alice.GetApiAsync("/api/exchanged/a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(downstream.TryTake(out _));
    }

    [Fact]
    public async Task A_refused_client_token_is_502_and_a_refused_exchange_too_and_the_session_stays()
    {
        stack.Idp.ConfigureClient(TestClients.Realm, "bff", client => client.ServiceAccountsEnabled = false);
        using var alice = await stack.SignInAsync("alice");

        var client = await alice.GetApiAsync("/api/as-client/x");
        stack.Idp.ConfigureClient(TestClients.Realm, "bff", client => client.StandardTokenExchangeEnabled = false);
        var exchange = await alice.GetApiAsync("/api/exchanged/x");

        foreach (var response in new[] { client, exchange })
        {
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("token_refused", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        Assert.False(downstream.TryTake(out _));
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/remote/whoami")).StatusCode);
    }
}
