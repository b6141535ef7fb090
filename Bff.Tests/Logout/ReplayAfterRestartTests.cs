using System.Net;
using Bff.Tests.TestInfra;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Logout;

/// <summary>
/// A captured genuine logout token replayed after the BFF restarts, within its lifetime, must be
/// refused: the seen <c>jti</c>s live in the session database (LiteDB here), not in memory.
/// </summary>
public sealed class ReplayAfterRestartTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private readonly RsaSecurityKey _testKey = LogoutTokens.NewKey("replay-test-key");
    private MergedJwksServer _jwks = null!;

    public async Task InitializeAsync() =>
        _jwks = await MergedJwksServer.StartAsync(new Uri(fixture.Authority.AbsoluteUri + "/protocol/openid-connect/certs"), _testKey);

    public async Task DisposeAsync()
    {
        await _jwks.DisposeAsync();
        _folder.Dispose();
    }

    private Task<BffHost> StartBffAsync() =>
        fixture.StartBffAsync(_folder, new Dictionary<string, string?> { ["Oidc:JwksUri"] = _jwks.JwksUri.AbsoluteUri });

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(BffHost bff, string token)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(bff.BaseAddress, "/bff/backchannel"), new FormUrlEncodedContent([new("logout_token", token)]));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_logout_token_replayed_after_a_restart_is_refused()
    {
        var tokens = new LogoutTokens(_testKey, fixture.Authority.AbsoluteUri.TrimEnd('/'), "bff", () => DateTimeOffset.UtcNow);
        var token = tokens.Valid(sid: "sid-replayed", sub: TestUsers.Alice.Id);
        var fresh = tokens.Valid(sid: "sid-fresh", sub: TestUsers.Alice.Id);

        await using (var first = await StartBffAsync())
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(first, token)).Status);
            var again = await PostAsync(first, token);
            Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        }

        await using var restarted = await StartBffAsync();
        var replay = await PostAsync(restarted, token);

        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
        Assert.Contains("already used", replay.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(restarted, fresh)).Status);
    }
}
