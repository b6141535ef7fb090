using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.TestInfra;
using Bff.Tokens.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Tokens;

/// <summary>
/// Token refresh through the real BFF against the DevIdp (Keycloak's rotation and reuse detection
/// on, as in realm/bff-realm.json), counted at the DevIdp's token endpoint.
/// </summary>
public sealed class RefreshIntegrationTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Refresh_happens_once_for_200_concurrent_requests()
    {
        using var browser = await rig.SignInAsync("alice");
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        var grantsBefore = rig.RefreshGrants;

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => browser.GetApiAsync("/api/remote/whoami")));

        Assert.Equal(grantsBefore + 1, rig.RefreshGrants);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var fingerprints = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token_fingerprint").GetString()));
        Assert.Single(fingerprints.Distinct());
    }

    [Fact]
    public async Task Rotation_with_reuse_detection_does_not_log_the_user_out_under_concurrency()
    {
        using var browser = await rig.SignInAsync("alice");
        var refreshTokens = new HashSet<string>(StringComparer.Ordinal);
        var grantsBefore = rig.RefreshGrants;

        for (var round = 0; round < 5; round++)
        {
            await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
            var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => browser.GetApiAsync("/api/remote/whoami")));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            refreshTokens.Add((await rig.SessionOfAsync(TestUsers.Alice.Id)).Tokens!.RefreshToken!);
        }

        Assert.Equal(grantsBefore + 5, rig.RefreshGrants);
        Assert.Equal(5, refreshTokens.Count); // Keycloak (and the DevIdp) rotate: each refresh stored a new one
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task Invalid_grant_ends_the_session_with_401_json()
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        var revoked = await rig.Bff.Services.GetRequiredService<IOidcTokenClient>().RevokeRefreshTokenAsync(session.Tokens!.RefreshToken!);
        Assert.True(revoked.Succeeded, revoked.Error);
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);

        var response = await browser.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reauthentication_required", problem.GetProperty("error").GetString());
        Assert.Null(await rig.Sessions.GetAsync(session.Key));
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);
    }

    [Fact]
    public async Task The_IdP_stopped_gives_503_and_the_session_survives_its_return()
    {
        using var browser = await rig.SignInAsync("alice");
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        await rig.Idp.StopAsync();

        var during = await browser.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        var problem = await during.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("identity_provider_unavailable", problem.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);

        await rig.Idp.RestartAsync();
        var after = await browser.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("alice", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("preferred_username").GetString());
    }
}

/// <summary>Real expiry: access tokens that live a few seconds.</summary>
public sealed class ShortLivedTokenTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        accessTokenLifespan: TimeSpan.FromSeconds(3),
        bffSettings: new Dictionary<string, string?> { ["Bff:RefreshBeforeExpiry"] = "00:00:00" });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task An_access_token_that_expired_is_refreshed_and_the_downstream_api_accepts_the_new_one()
    {
        using var browser = await rig.SignInAsync("alice");
        var first = await browser.GetApiAsync("/api/remote/whoami");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>();
        var grantsBefore = rig.RefreshGrants;

        await Task.Delay(TimeSpan.FromSeconds(4));
        var second = await browser.GetApiAsync("/api/remote/whoami");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var secondBody = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(grantsBefore + 1, rig.RefreshGrants);
        Assert.NotEqual(firstBody.GetProperty("token_fingerprint").GetString(), secondBody.GetProperty("token_fingerprint").GetString());
        Assert.True(secondBody.GetProperty("token_expires_at").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
