using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Sessions;

/// <summary>
/// The cookie scheme hands the request's session key on in the request's features once it has
/// accepted the session: present with the session's key on an accepted cookie, absent for a deleted
/// session, a tampered cookie, and a principal the app's own check rejected.
/// </summary>
public sealed class BffSessionFeatureTests : IAsyncLifetime
{
    private const string RejectHeader = "X-Test-Reject";

    private RawCookieSession alice = null!;

    public async Task InitializeAsync()
    {
        alice = await RawCookieSession.StartAsync(configure: builder =>
        {
            builder.Services.AddTransient<IStartupFilter, FeatureEndpoint>();
            // An app's own check, configured after AddBff: the feature must follow its verdict.
            builder.Services.Configure<CookieAuthenticationOptions>(BffAuthenticationDefaults.CookieScheme, options =>
                options.Events.OnValidatePrincipal = context =>
                {
                    if (context.Request.Headers.ContainsKey(RejectHeader))
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                });
        });
    }

    public async Task DisposeAsync() => await alice.DisposeAsync();

    private string Cookie() => alice.CookieFor("/test/session-feature");

    private async Task<JsonElement> FeatureAsync(string cookie, bool reject = false)
    {
        using var response = reject
            ? await alice.GetAsync("/test/session-feature", cookie, (RejectHeader, "1"))
            : await alice.GetAsync("/test/session-feature", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task An_accepted_cookie_sets_the_feature_once_with_its_session_key()
    {
        var session = await alice.Rig.SessionOfAsync(TestUsers.Alice.Id);

        var seen = await FeatureAsync(Cookie());

        Assert.True(seen.GetProperty("authenticated").GetBoolean());
        Assert.Equal(session.Key, seen.GetProperty("key").GetString());
        Assert.True(seen.GetProperty("sameAfterReauthenticating").GetBoolean());
        Assert.Equal(session.Key, seen.GetProperty("sessionKeyAsync").GetString());
    }

    [Fact]
    public async Task A_deleted_session_a_tampered_cookie_or_a_rejected_principal_sets_no_feature()
    {
        var cookie = Cookie();

        foreach (var seen in new[] { await FeatureAsync(RawCookieSession.Tampered(cookie)), await FeatureAsync(cookie, reject: true) })
        {
            Assert.False(seen.GetProperty("authenticated").GetBoolean());
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("key").ValueKind);
        }

        Assert.True(await alice.Rig.Sessions.DeleteAsync((await alice.Rig.SessionOfAsync(TestUsers.Alice.Id)).Key));
        var gone = await FeatureAsync(cookie);
        Assert.False(gone.GetProperty("authenticated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("key").ValueKind);
    }

    private sealed class FeatureEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/test", branch =>
            {
                branch.UseRouting();
                branch.UseAuthentication();
                branch.UseEndpoints(endpoints => endpoints.MapGet("/session-feature", async (HttpContext context) =>
                {
                    var feature = context.Features.Get<BffSessionFeature>();
                    var authenticated = (await context.AuthenticateAsync(BffAuthenticationDefaults.CookieScheme)).Succeeded;
                    var same = ReferenceEquals(feature, context.Features.Get<BffSessionFeature>());
                    var sessionKey = await context.GetBffSessionKeyAsync();
                    return Results.Json(new
                    {
                        authenticated,
                        key = feature?.SessionKey,
                        sameAfterReauthenticating = same,
                        sessionKeyAsync = sessionKey,
                    });
                }));
            });
            next(app);
        };
    }
}
