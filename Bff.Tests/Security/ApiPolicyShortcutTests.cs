using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bff.Api;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Security;

/// <summary>
/// The policy evaluator answers a signed-in cookie call to a BFF API endpoint without building the API
/// scheme's handler or asking the authorization service. What a call gets must not change: the same user
/// and ticket as through ASP.NET Core's path (which it takes while anyone records its authentication
/// metrics), the anti-forgery header still required, a bearer call still judged by its token alone, a
/// role still forbidding, and an app's claims transformation and authorization handler still applied.
/// </summary>
public sealed class ApiPolicyShortcutTests
{
    private const string RefuseHeader = "X-Test-Refuse";

    private static Task<HttpResponseMessage> GetAsync(RawCookieSession alice, string path, bool antiforgery = true, string? bearer = null)
    {
        var headers = new List<(string, string)>();
        if (antiforgery)
        {
            headers.Add(("X-CSRF", "1"));
        }

        if (bearer is not null)
        {
            headers.Add(("Authorization", "Bearer " + bearer));
        }

        return alice.GetAsync(path, alice.CookieFor(path), [.. headers]);
    }

    // Status, media type and body, less the ProblemDetails' trace id, which is each request's own.
    private static async Task<string> AnswerAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} "
        + Regex.Replace(await response.Content.ReadAsStringAsync(), "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    private static async Task<string[]> AnswersAsync(RawCookieSession alice) =>
    [
        await AnswerAsync(await GetAsync(alice, "/policy-test/me")),
        await AnswerAsync(await GetAsync(alice, "/policy-test/me", antiforgery: false)),
        await AnswerAsync(await GetAsync(alice, "/policy-test/me", bearer: "not-a-token")),
        await AnswerAsync(await GetAsync(alice, "/policy-test/admins")),
        await AnswerAsync(await GetAsync(alice, "/policy-test/nobody")),
    ];

    [Fact]
    public async Task A_signed_in_call_gets_what_ASP_NET_Cores_own_path_gives_it()
    {
        await using var alice = await RawCookieSession.StartAsync(configure: b => b.Services.AddSingleton<IStartupFilter, PolicyTestEndpoints>());

        var shortcut = await AnswersAsync(alice);

        // Recording ASP.NET Core's authentication metrics sends every call through its authentication
        // service, the API scheme's handler and its authorization service.
        var meters = alice.Rig.Bff.Services.GetRequiredService<IMeterFactory>();
        var apiSchemeAuthentications = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "aspnetcore.authentication.authenticate.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "aspnetcore.authentication.scheme", Value: "BffApi" })
                {
                    Interlocked.Increment(ref apiSchemeAuthentications);
                }
            }
        });
        listener.Start();

        var aspNetCores = await AnswersAsync(alice);

        Assert.True(Volatile.Read(ref apiSchemeAuthentications) >= aspNetCores.Length);
        Assert.Equal(aspNetCores, shortcut);
        Assert.StartsWith("200 application/json", shortcut[0], StringComparison.Ordinal);
        var me = JsonDocument.Parse(shortcut[0][shortcut[0].IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.Equal(TestUsers.Alice.Id, me.GetProperty("subject").GetString());
        Assert.Equal("BffApi", me.GetProperty("scheme").GetString());
        Assert.True(me.GetProperty("expires").GetBoolean());
        Assert.StartsWith("401 application/problem+json", shortcut[1], StringComparison.Ordinal);
        Assert.Contains("Anti-forgery header required", shortcut[1], StringComparison.Ordinal);
        Assert.StartsWith("401 application/problem+json", shortcut[2], StringComparison.Ordinal);
        Assert.StartsWith("200 application/json", shortcut[3], StringComparison.Ordinal);
        Assert.StartsWith("403 application/problem+json", shortcut[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_apps_claims_transformation_and_authorization_handler_still_apply_to_API_calls()
    {
        await using var alice = await RawCookieSession.StartAsync(configure: b =>
        {
            b.Services.AddSingleton<IStartupFilter, PolicyTestEndpoints>();
            b.Services.AddTransient<IClaimsTransformation, MarkTransformed>();
            b.Services.AddSingleton<IAuthorizationHandler, RefuseOnHeader>();
        });

        var response = await GetAsync(alice, "/policy-test/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transformed").GetInt32());

        var path = "/policy-test/me";
        var refused = await alice.GetAsync(path, alice.CookieFor(path), ("X-CSRF", "1"), (RefuseHeader, "1"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A transformation that returns a marked copy, as apps typically write one.</summary>
    private sealed class MarkTransformed : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var copy = principal.Clone();
            if (copy.Identity is ClaimsIdentity identity && !copy.HasClaim(c => c.Type == "test:transformed"))
            {
                identity.AddClaim(new Claim("test:transformed", "yes"));
            }

            return Task.FromResult(copy);
        }
    }

    private sealed class RefuseOnHeader : IAuthorizationHandler
    {
        public Task HandleAsync(AuthorizationHandlerContext context)
        {
            if (context.Resource is HttpContext http && http.Request.Headers.ContainsKey(RefuseHeader))
            {
                context.Fail();
            }

            return Task.CompletedTask;
        }
    }

    private sealed class PolicyTestEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/policy-test", branch =>
            {
                branch.UseRouting();
                branch.UseAuthentication();
                branch.UseAuthorization();
                branch.UseEndpoints(endpoints =>
                {
                    endpoints.MapGet("/me", (HttpContext context) =>
                    {
                        var result = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
                        return Results.Json(new
                        {
                            subject = context.User.FindFirst("sub")?.Value,
                            claims = context.User.Claims.Select(c => c.Type + "=" + c.Value).Order(StringComparer.Ordinal).ToArray(),
                            transformed = context.User.FindAll("test:transformed").Count(),
                            scheme = result?.Ticket?.AuthenticationScheme,
                            expires = result?.Properties?.ExpiresUtc is not null,
                        });
                    }).RequireBffApi();
                    endpoints.MapGet("/admins", () => Results.Json(new { ok = true })).RequireBffApi().RequireAuthorization(p => p.RequireRole("admin"));
                    endpoints.MapGet("/nobody", () => Results.Json(new { ok = true })).RequireBffApi().RequireAuthorization(p => p.RequireRole("no-one-has-this-role"));
                });
            });
            next(app);
        };
    }
}
