using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public class RefreshTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    [Fact]
    public async Task Refresh_rotates_the_token_and_a_reused_one_gets_invalid_grant()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Bob);

        var refreshed = await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);

        var reused = await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, reused.HttpStatusCode);
        Assert.Equal("invalid_grant", reused.Error);

        var next = await CodeFlow.RefreshAsync(idp.Server, refreshed.RefreshToken!);
        Assert.False(next.IsError, next.Error);
    }

    [Fact]
    public async Task Concurrent_uses_of_one_refresh_token_succeed_once()
    {
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!)));

        Assert.Single(results, r => !r.IsError);
        Assert.All(results.Where(r => r.IsError), r => Assert.Equal("invalid_grant", r.Error));
    }

    [Fact]
    public async Task Refreshed_tokens_keep_the_session_and_the_claims()
    {
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp.Server, TestUsers.Alice);

        var refreshed = await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!);

        var before = CodeFlow.Payload(tokens.AccessToken!);
        var after = CodeFlow.Payload(refreshed.AccessToken!);
        Assert.Equal(before.GetProperty("sid").GetString(), after.GetProperty("sid").GetString());
        Assert.Equal("alice", after.GetProperty("preferred_username").GetString());
        Assert.Equal(before.GetProperty("scope").GetString(), after.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(refreshed.IdentityToken));
    }

    [Fact]
    public async Task Refresh_token_of_one_client_is_refused_for_another()
    {
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob);

        var refreshed = await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!, TestClients.AdminTool);

        Assert.Equal("invalid_grant", refreshed.Error);
    }

    [Fact]
    public async Task Refresh_is_refused_once_the_sso_session_went_idle()
    {
        var clock = new ManualClock();
        await using var server = await DevIdpFixture.StartAsync(o => o.TimeProvider = clock);
        var tokens = await CodeFlow.PasswordAsync(server, TestUsers.Bob);

        clock.Advance(TimeSpan.FromMinutes(29));
        var inTime = await CodeFlow.RefreshAsync(server, tokens.RefreshToken!);
        Assert.False(inTime.IsError, inTime.Error);

        clock.Advance(TimeSpan.FromMinutes(31));
        var late = await CodeFlow.RefreshAsync(server, inTime.RefreshToken!);
        Assert.Equal("invalid_grant", late.Error);
    }

    [Fact]
    public async Task Refresh_is_refused_past_the_sso_session_max_lifespan_even_when_active()
    {
        var clock = new ManualClock();
        await using var server = await DevIdpFixture.StartAsync(o => o.TimeProvider = clock);
        var tokens = await CodeFlow.PasswordAsync(server, TestUsers.Bob);
        var refreshToken = tokens.RefreshToken!;

        // Every 20 minutes (inside the 30-minute idle timeout) up to the 10-hour max lifespan.
        for (var elapsed = TimeSpan.FromMinutes(20); elapsed < TimeSpan.FromHours(10); elapsed += TimeSpan.FromMinutes(20))
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            var refreshed = await CodeFlow.RefreshAsync(server, refreshToken);
            Assert.False(refreshed.IsError, $"{elapsed}: {refreshed.Error}");
            refreshToken = refreshed.RefreshToken!;
        }

        clock.Advance(TimeSpan.FromMinutes(20));
        var pastMax = await CodeFlow.RefreshAsync(server, refreshToken);
        Assert.Equal("invalid_grant", pastMax.Error);
    }

    [Fact]
    public async Task Without_revokeRefreshToken_an_old_refresh_token_keeps_working()
    {
        await using var server = await RealmFiles.StartWithEditedRealmAsync(realm => realm["revokeRefreshToken"] = false);
        var tokens = await CodeFlow.PasswordAsync(server, TestUsers.Bob);

        var first = await CodeFlow.RefreshAsync(server, tokens.RefreshToken!);
        var again = await CodeFlow.RefreshAsync(server, tokens.RefreshToken!);

        Assert.False(first.IsError, first.Error);
        Assert.False(again.IsError, again.Error);
    }

    [Fact]
    public async Task Access_token_lifespan_override_shortens_tokens()
    {
        await using var server = await DevIdpFixture.StartAsync(o => o.AccessTokenLifespan = TimeSpan.FromSeconds(5));

        var tokens = await CodeFlow.PasswordAsync(server, TestUsers.Bob);

        Assert.Equal(5, tokens.ExpiresIn);
        var claims = CodeFlow.Payload(tokens.AccessToken!);
        Assert.Equal(5, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }
}
