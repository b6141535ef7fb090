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

    private TokenTestRig rig = null!;
    private BrowserClient alice = null!;
    private HttpClient raw = null!;

    public async Task InitializeAsync()
    {
        rig = await TokenTestRig.StartAsync(configure: builder =>
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
        alice = await rig.SignInAsync("alice");
        raw = rig.Bff.CreateRawClient();
    }

    public async Task DisposeAsync()
    {
        raw.Dispose();
        alice.Dispose();
        await rig.DisposeAsync();
    }

    private string Cookie() => alice.CookieHeaderFor("/test/session-feature");

    private async Task<JsonElement> FeatureAsync(string cookie, bool reject = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/session-feature");
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        if (reject)
        {
            request.Headers.Add(RejectHeader, "1");
        }

        using var response = await raw.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task An_accepted_cookie_sets_the_feature_once_with_its_session_key()
    {
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);

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
        var (name, value) = (cookie[..cookie.IndexOf('=', StringComparison.Ordinal)], cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var flipped = value[..^5] + (value[^5] == 'A' ? 'B' : 'A') + value[^4..];

        foreach (var seen in new[] { await FeatureAsync(name + "=" + flipped), await FeatureAsync(cookie, reject: true) })
        {
            Assert.False(seen.GetProperty("authenticated").GetBoolean());
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("key").ValueKind);
        }

        Assert.True(await rig.Sessions.DeleteAsync((await rig.SessionOfAsync(TestUsers.Alice.Id)).Key));
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
