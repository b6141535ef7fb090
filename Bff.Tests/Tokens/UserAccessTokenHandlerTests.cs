using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Api;
using Bff.Tests.TestInfra;
using Bff.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Tokens;

/// <summary>
/// Server code calling an API through an HttpClient with <c>AddUserAccessTokenHandler()</c>: a
/// local BFF API endpoint (<c>/test/whoami</c>) that calls the downstream test API.
/// </summary>
public sealed class UserAccessTokenHandlerTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(configure: builder =>
    {
        builder.Services.AddHttpClient("downstream").AddUserAccessTokenHandler();
        builder.Services.AddTransient<IStartupFilter, CallingEndpoint>();
    });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task The_handler_attaches_the_users_token()
    {
        using var browser = await rig.SignInAsync("alice");

        var response = await browser.GetApiAsync("/test/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("preferred_username").GetString());
    }

    [Fact]
    public async Task A_401_from_the_api_is_retried_once_with_a_forced_refresh()
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        // A token the BFF believes valid for minutes, but the API refuses (as after a revocation).
        await rig.Sessions.UpdateTokensAsync(session.Key, session.Tokens! with { AccessToken = "refused-by-the-api", AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) });
        var grants = rig.RefreshGrants;

        var response = await browser.GetApiAsync("/test/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(grants + 1, rig.RefreshGrants);
        Assert.NotEqual("refused-by-the-api", (await rig.SessionOfAsync(TestUsers.Alice.Id)).Tokens!.AccessToken);
    }

    [Fact]
    public async Task When_no_token_can_be_had_the_endpoint_answers_401_json_not_500()
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        await rig.Sessions.UpdateTokensAsync(session.Key, session.Tokens! with { RefreshToken = "dead", AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });

        var response = await browser.GetApiAsync("/test/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("reauthentication_required", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    private sealed class CallingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/test", branch =>
            {
                branch.UseRouting();
                branch.UseAuthentication();
                branch.UseAuthorization();
                branch.UseEndpoints(endpoints => endpoints.MapGet("/whoami", async (IHttpClientFactory factory, HttpContext context) =>
                {
                    var rig = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Bff.BffOptions>>().Value;
                    var client = factory.CreateClient("downstream");
                    var downstream = rig.RemoteApis["Remote"].Destination!;
                    var answer = await client.GetAsync(new Uri(downstream, "whoami"));
                    return Results.Content(await answer.Content.ReadAsStringAsync(), "application/json", statusCode: (int)answer.StatusCode);
                }).RequireBffApi());
            });
            next(app);
        };
    }
}
