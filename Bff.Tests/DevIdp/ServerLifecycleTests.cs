using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public class ServerLifecycleTests
{
    [Fact]
    public async Task Stopped_server_refuses_connections_and_after_restart_keeps_keys_sessions_and_refresh_tokens()
    {
        await using var idp = await DevIdpFixture.StartAsync();
        using var browser = new BrowserClient();
        var tokens = await CodeFlow.LoginAsync(browser, idp, TestUsers.Bob);
        var jwksBefore = (await CodeFlow.GetJsonAsync(idp.Endpoint("certs"))).GetRawText();

        await idp.StopAsync();
        Assert.False(idp.IsRunning);
        await Assert.ThrowsAsync<HttpRequestException>(() => CodeFlow.GetJsonAsync(idp.Endpoint("certs")));

        await idp.RestartAsync();
        Assert.Equal(jwksBefore, (await CodeFlow.GetJsonAsync(idp.Endpoint("certs"))).GetRawText());
        var refreshed = await CodeFlow.RefreshAsync(idp, tokens.RefreshToken!);
        Assert.False(refreshed.IsError, refreshed.Error);
        var silent = new AuthorizeRequest { Prompt = "none" };
        var response = await browser.GetAsync(silent.ToUri(idp.Endpoint("auth")), followRedirects: false);
        Assert.True((await CodeFlow.ReadAuthorizationResponseAsync(response, silent.RedirectUri!)).ContainsKey("code"));
    }

    [Fact]
    public async Task Token_requests_are_counted_by_grant_type()
    {
        await using var idp = await DevIdpFixture.StartAsync();
        var tokens = await CodeFlow.PasswordAsync(idp, TestUsers.Bob);
        await CodeFlow.RefreshAsync(idp, tokens.RefreshToken!);
        await CodeFlow.RefreshAsync(idp, tokens.RefreshToken!);

        Assert.Equal(1, idp.TokenRequests("password"));
        Assert.Equal(2, idp.TokenRequests("refresh_token"));
        Assert.Equal(0, idp.TokenRequests("authorization_code"));
    }

    [Fact]
    public async Task Client_redirect_uris_can_be_changed_at_run_time()
    {
        await using var idp = await DevIdpFixture.StartAsync();
        idp.ConfigureClient("bff", "bff", c => c.RedirectUris = ["http://127.0.0.1:4321/signin-oidc"]);
        using var browser = new BrowserClient();

        var old = await browser.GetAsync(new AuthorizeRequest().ToUri(idp.Endpoint("auth")), followRedirects: false);
        var request = new AuthorizeRequest { RedirectUri = "http://127.0.0.1:4321/signin-oidc" };
        var parameters = await CodeFlow.AuthorizeAsync(browser, idp, request, TestUsers.Bob);

        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.True(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task Configuring_an_unknown_client_throws()
    {
        await using var idp = await DevIdpFixture.StartAsync();

        Assert.Throws<ArgumentException>(() => idp.ConfigureClient("bff", "nope", _ => { }));
    }

    [Fact]
    public async Task Two_servers_run_side_by_side_with_their_own_keys()
    {
        await using var one = await DevIdpFixture.StartAsync();
        await using var two = await DevIdpFixture.StartAsync();

        Assert.NotEqual(one.BaseAddress, two.BaseAddress);
        var tokens = await CodeFlow.PasswordAsync(one, TestUsers.Bob);
        Assert.Equal("invalid_grant", (await CodeFlow.RefreshAsync(two, tokens.RefreshToken!)).Error);
    }
}
