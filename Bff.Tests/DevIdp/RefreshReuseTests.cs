using System.Diagnostics;
using Bff.Tests.TestInfra;
using Duende.IdentityModel.Client;

namespace Bff.Tests.DevIdp;

/// <summary>
/// What tests of refresh coordination read from the DevIdp: reuses of rotated-out refresh tokens
/// are counted, and the token endpoint can be made slow without using up a token whose client left.
/// </summary>
public sealed class RefreshReuseTests
{
    [Fact]
    public async Task A_reused_refresh_token_is_refused_and_counted_and_a_fresh_one_is_not()
    {
        await using var idp = await DevIdpFixture.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Bob);

        var refreshed = await CodeFlow.RefreshAsync(idp, tokens.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.Equal(0, idp.RefreshTokenReuses);

        var reused = await CodeFlow.RefreshAsync(idp, tokens.RefreshToken!);
        Assert.Equal("invalid_grant", reused.Error);
        Assert.Equal(1, idp.RefreshTokenReuses);

        var next = await CodeFlow.RefreshAsync(idp, refreshed.RefreshToken!);
        Assert.False(next.IsError, next.Error);
        Assert.Equal(1, idp.RefreshTokenReuses);
    }

    [Fact]
    public async Task A_held_refresh_whose_client_went_away_uses_nothing_up()
    {
        await using var idp = await DevIdpFixture.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Bob);
        idp.RefreshDelay = TimeSpan.FromMinutes(5);

        using (var abandon = new CancellationTokenSource())
        using (var http = new HttpClient())
        {
            var held = http.RequestRefreshTokenAsync(
                new RefreshTokenRequest
                {
                    Address = idp.Endpoint("token").AbsoluteUri,
                    ClientId = TestClients.Bff.ClientId,
                    ClientSecret = TestClients.Bff.Secret,
                    RefreshToken = tokens.RefreshToken!,
                },
                abandon.Token);
            var clock = Stopwatch.StartNew();
            while (idp.HeldRefreshes == 0)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the refresh never reached the token endpoint");
                await Task.Delay(20);
            }

            await abandon.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
        }

        idp.RefreshDelay = TimeSpan.Zero;
        var refreshed = await CodeFlow.RefreshAsync(idp, tokens.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.Equal(0, idp.RefreshTokenReuses);
    }
}
