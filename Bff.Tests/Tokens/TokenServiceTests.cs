using Bff.Tokens;
using Bff.Tokens.Internal;

namespace Bff.Tests.Tokens;

public class TokenServiceTests
{
    [Fact]
    public async Task Refresh_happens_once_for_concurrent_requests()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateExpiredSessionAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(_ => Task.Run(() => harness.Tokens.GetAccessTokenAsync(key))));

        Assert.Equal(1, harness.Idp.RefreshGrants);
        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));
        var token = Assert.Single(results.Select(r => r.AccessToken).Distinct());
        Assert.NotEqual("at-initial", token);
        var stored = await harness.Store.GetAsync(key);
        Assert.Equal(token, stored!.Tokens!.AccessToken);
    }

    [Fact]
    public async Task A_fresh_token_is_returned_without_calling_the_token_endpoint()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddMinutes(5));

        var result = await harness.Tokens.GetAccessTokenAsync(key);

        Assert.True(result.Succeeded);
        Assert.Equal("at-initial", result.AccessToken);
        Assert.Equal(0, harness.Idp.RefreshGrants);
    }

    [Fact]
    public async Task A_token_expiring_within_the_skew_is_refreshed()
    {
        await using var harness = await TokenServiceHarness.StartAsync(new Dictionary<string, string?> { ["Bff:RefreshBeforeExpiry"] = "00:01:00" });
        var key = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddSeconds(30));

        var result = await harness.Tokens.GetAccessTokenAsync(key);

        Assert.True(result.Succeeded);
        Assert.NotEqual("at-initial", result.AccessToken);
        Assert.Equal(1, harness.Idp.RefreshGrants);
        Assert.True(result.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(4));
    }

    [Fact]
    public async Task A_later_request_uses_the_stored_new_tokens_without_refreshing_again()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateExpiredSessionAsync();

        var first = await harness.Tokens.GetAccessTokenAsync(key);
        var second = await harness.Tokens.GetAccessTokenAsync(key);

        Assert.Equal(first.AccessToken, second.AccessToken);
        Assert.Equal(1, harness.Idp.RefreshGrants);
    }

    [Fact]
    public async Task The_rotated_refresh_token_is_stored_and_used_next_time()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        harness.Idp.ExpiresIn = 1; // every token is already inside the refresh skew
        var key = await harness.CreateExpiredSessionAsync();
        var original = (await harness.Store.GetAsync(key))!.Tokens!.RefreshToken!;

        var first = await harness.Tokens.GetAccessTokenAsync(key);
        var rotated = (await harness.Store.GetAsync(key))!.Tokens!.RefreshToken!;
        var second = await harness.Tokens.GetAccessTokenAsync(key);

        Assert.True(first.Succeeded, first.ToString());
        Assert.True(second.Succeeded, second.ToString());
        Assert.NotEqual(original, rotated);
        Assert.False(harness.Idp.IsLive(original));
        Assert.Equal(2, harness.Idp.RefreshGrants);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
    }

    [Fact]
    public async Task Invalid_grant_ends_the_session()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddMinutes(-1));
        var stored = await harness.Store.GetAsync(key);
        await harness.Store.UpdateTokensAsync(key, stored!.Tokens! with { RefreshToken = "rt-unknown" });

        var result = await harness.Tokens.GetAccessTokenAsync(key);

        Assert.False(result.Succeeded);
        Assert.Equal(TokenErrorKind.NeedsReauthentication, result.ErrorKind);
        Assert.Equal("invalid_grant", result.Error);
        Assert.Null(await harness.Store.GetAsync(key));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_server_error_is_transient_and_keeps_the_session(int status)
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateExpiredSessionAsync();
        var before = (await harness.Store.GetAsync(key))!.Tokens;
        harness.Idp.FailWithStatus = status;

        var failed = await harness.Tokens.GetAccessTokenAsync(key);

        Assert.Equal(TokenErrorKind.Transient, failed.ErrorKind);
        Assert.Equal(before, (await harness.Store.GetAsync(key))!.Tokens);

        harness.Idp.FailWithStatus = null;
        var retried = await harness.Tokens.GetAccessTokenAsync(key);
        Assert.True(retried.Succeeded, retried.ToString());
        Assert.Equal(2, harness.Idp.RefreshGrants);
    }

    [Fact]
    public async Task An_unreachable_identity_provider_is_transient_and_keeps_the_session()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateExpiredSessionAsync();
        await harness.Idp.StopAsync();

        var result = await harness.Tokens.GetAccessTokenAsync(key);

        Assert.Equal(TokenErrorKind.Transient, result.ErrorKind);
        Assert.NotNull(await harness.Store.GetAsync(key));
    }

    [Fact]
    public async Task Without_a_refresh_token_a_valid_access_token_is_used_and_an_expired_one_needs_a_login()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var valid = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddSeconds(30), withRefreshToken: false);
        var expired = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddSeconds(-1), withRefreshToken: false);

        var fromValid = await harness.Tokens.GetAccessTokenAsync(valid);
        var fromExpired = await harness.Tokens.GetAccessTokenAsync(expired);

        Assert.True(fromValid.Succeeded);
        Assert.Equal(TokenErrorKind.NeedsReauthentication, fromExpired.ErrorKind);
        Assert.Equal(0, harness.Idp.RefreshGrants);
    }

    [Fact]
    public async Task An_unknown_session_needs_a_login()
    {
        await using var harness = await TokenServiceHarness.StartAsync();

        var result = await harness.Tokens.GetAccessTokenAsync("no-such-session");

        Assert.Equal(TokenErrorKind.NeedsReauthentication, result.ErrorKind);
        Assert.Equal("session_not_found", result.Error);
    }

    [Fact]
    public async Task Concurrent_forced_refreshes_of_a_fresh_token_refresh_once()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var key = await harness.CreateSessionAsync(DateTimeOffset.UtcNow.AddMinutes(5));
        var force = new UserTokenRequestParameters { ForceRefresh = true };

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => harness.Tokens.GetAccessTokenAsync(key, force))));

        Assert.Equal(1, harness.Idp.RefreshGrants);
        var token = Assert.Single(results.Select(r => r.AccessToken).Distinct());
        Assert.NotEqual("at-initial", token);
    }

    [Fact]
    public async Task A_session_deleted_during_the_refresh_gets_no_tokens_and_its_new_refresh_token_is_revoked()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        harness.Idp.Delay = TimeSpan.FromSeconds(1);
        var key = await harness.CreateExpiredSessionAsync();

        var pending = harness.Tokens.GetAccessTokenAsync(key);
        await WaitUntilAsync(() => harness.Idp.RefreshGrants == 1);
        await harness.Store.DeleteAsync(key);
        var result = await pending;

        Assert.Equal(TokenErrorKind.NeedsReauthentication, result.ErrorKind);
        Assert.Equal(1, harness.Idp.Revocations);
        Assert.Null(await harness.Store.GetAsync(key));
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_shared_refresh()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        harness.Idp.Delay = TimeSpan.FromSeconds(1);
        var key = await harness.CreateExpiredSessionAsync();
        using var impatient = new CancellationTokenSource();

        var first = harness.Tokens.GetAccessTokenAsync(key, cancellationToken: impatient.Token);
        var second = harness.Tokens.GetAccessTokenAsync(key);
        await WaitUntilAsync(() => harness.Idp.RefreshGrants == 1);
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var result = await second;
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(1, harness.Idp.RefreshGrants);
    }

    [Fact]
    public async Task Revoking_sends_the_refresh_token_to_the_revocation_endpoint()
    {
        await using var harness = await TokenServiceHarness.StartAsync();
        var refreshToken = harness.Idp.IssueRefreshToken();

        var result = await harness.TokenClient.RevokeRefreshTokenAsync(refreshToken);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(1, harness.Idp.Revocations);
        Assert.False(harness.Idp.IsLive(refreshToken));
    }

    [Fact]
    public void A_token_result_never_prints_its_token()
    {
        var result = UserTokenResult.Success("secret-access-token", DateTimeOffset.UtcNow);

        Assert.DoesNotContain("secret-access-token", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", new TokenRefreshResult { AccessToken = "secret-a", RefreshToken = "secret-r" }.ToString(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the condition.");
            await Task.Delay(20);
        }
    }
}
