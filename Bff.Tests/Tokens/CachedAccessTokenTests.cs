namespace Bff.Tests.Tokens;

/// <summary>
/// A session's fresh token, while the session sits in the session cache, is handed out as one result
/// and one Authorization header value until the tokens change: a proxied call then builds neither.
/// </summary>
public class CachedAccessTokenTests
{
    [Fact]
    public async Task A_cached_fresh_token_is_one_result_and_one_header_until_the_tokens_change()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddHours(1));

        // The first read fills the session cache; from the second on the cached tokens answer.
        await harness.Tokens.GetAccessTokenAsync(key);
        var first = await harness.SessionTokens.GetIssuedAsync(key, forceRefresh: false, CancellationToken.None);
        var second = await harness.SessionTokens.GetIssuedAsync(key, forceRefresh: false, CancellationToken.None);

        Assert.Equal("Bearer at-initial", first.AuthorizationHeader);
        Assert.Same(first, second);
        Assert.Same(first.AuthorizationHeader, second.AuthorizationHeader);
        Assert.Same(first.Result, await harness.Tokens.GetAccessTokenAsync(key));

        // A write of new tokens (as a refresh makes) is what the next calls see, again as one result.
        var stored = (await harness.Store.GetAsync(key))!.Tokens!;
        Assert.True(await harness.Store.UpdateTokensAsync(key, stored with { AccessToken = "at-next" }));
        await harness.Tokens.GetAccessTokenAsync(key);
        var third = await harness.SessionTokens.GetIssuedAsync(key, forceRefresh: false, CancellationToken.None);
        var fourth = await harness.SessionTokens.GetIssuedAsync(key, forceRefresh: false, CancellationToken.None);

        Assert.Equal("Bearer at-next", third.AuthorizationHeader);
        Assert.Equal("at-next", third.Result.AccessToken);
        Assert.Same(third, fourth);
        Assert.Equal(0, harness.Idp.RefreshGrants);
    }

    [Fact]
    public async Task A_cached_token_within_the_skew_is_still_refreshed_and_the_new_one_is_handed_out()
    {
        await using var harness = await TokenServiceHarness.StartAsync(new Dictionary<string, string?> { ["Bff:RefreshBeforeExpiry"] = "00:01:00" });
        var key = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddHours(1));
        await harness.Tokens.GetAccessTokenAsync(key);
        var fresh = await harness.SessionTokens.GetIssuedAsync(key, forceRefresh: false, CancellationToken.None);

        // The token now expires within the skew: the cached result must not be handed out again.
        var stored = (await harness.Store.GetAsync(key))!.Tokens!;
        Assert.True(await harness.Store.UpdateTokensAsync(key, stored with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddSeconds(30) }));
        await harness.Tokens.GetAccessTokenAsync(key);
        var refreshed = await harness.SessionTokens.GetIssuedAsync(key, forceRefresh: false, CancellationToken.None);

        Assert.Equal(1, harness.Idp.RefreshGrants);
        Assert.NotEqual("at-initial", refreshed.Result.AccessToken);
        Assert.Equal("Bearer " + refreshed.Result.AccessToken, refreshed.AuthorizationHeader);
        Assert.NotSame(fresh, refreshed);
    }

    [Fact]
    public async Task An_unknown_session_gets_a_failure_and_no_header()
    {
        await using var harness = await TokenServiceHarness.StartAsync();

        var issued = await harness.SessionTokens.GetIssuedAsync("no-such-session", forceRefresh: false, CancellationToken.None);

        Assert.False(issued.Result.Succeeded);
        Assert.Equal("session_not_found", issued.Result.Error);
        Assert.Null(issued.AuthorizationHeader);
    }
}
