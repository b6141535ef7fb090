using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Reliability;

/// <summary>
/// The identity provider goes away while many requests need a refresh, then comes back.
/// Tokens/RefreshIntegrationTests proves it for one request; this proves it under a burst.
/// </summary>
public sealed class IdentityProviderOutageTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync();

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task A_burst_during_an_outage_gets_clear_503s_and_every_session_survives_the_return()
    {
        using var alice = await rig.SignInAsync("alice");
        using var bob = await rig.SignInAsync("bob");
        var aliceKey = (await rig.SessionOfAsync(TestUsers.Alice.Id)).Key;
        var bobKey = (await rig.SessionOfAsync(TestUsers.Bob.Id)).Key;
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        await rig.ExpireAccessTokenAsync(TestUsers.Bob.Id);
        await rig.Idp.StopAsync();

        var during = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? alice : bob).GetApiAsync("/api/remote/whoami")));

        foreach (var response in during)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("identity_provider_unavailable", problem.GetProperty("error").GetString());
            Assert.False(response.Headers.Contains("Set-Cookie"), "an outage must not clear the session cookie");
            response.Dispose();
        }

        // Local parts keep working meanwhile.
        Assert.Equal(HttpStatusCode.OK, (await alice.GetApiAsync("/api/notes")).StatusCode);

        await rig.Idp.RestartAsync();
        var after = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? alice : bob).GetApiAsync("/api/remote/whoami")));

        Assert.All(after, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(aliceKey, (await rig.SessionOfAsync(TestUsers.Alice.Id)).Key);
        Assert.Equal(bobKey, (await rig.SessionOfAsync(TestUsers.Bob.Id)).Key);
        Assert.True((await rig.SessionOfAsync(TestUsers.Alice.Id)).Tokens!.AccessTokenExpiresAt > DateTimeOffset.UtcNow);
        foreach (var response in after)
        {
            response.Dispose();
        }
    }
}
