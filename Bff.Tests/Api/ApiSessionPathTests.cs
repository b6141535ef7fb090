using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Tests.Api;

/// <summary>
/// A local API call on a warm session (its cookie remembered, its ticket in the store's memory): the
/// session is still looked up on every call, the anti-forgery header is still required, and a broken
/// cookie is a 401 ProblemDetails, never an error.
/// </summary>
public sealed class ApiSessionPathTests : IAsyncLifetime
{
    private RawCookieSession alice = null!;

    public async Task InitializeAsync() => alice = await RawCookieSession.StartAsync();

    public async Task DisposeAsync() => await alice.DisposeAsync();

    private string Cookie() => alice.CookieFor("/api/notes");

    private Task<HttpResponseMessage> NotesAsync(string cookie, bool antiforgery = true) =>
        antiforgery ? alice.GetAsync("/api/notes", cookie, ("X-CSRF", "1")) : alice.GetAsync("/api/notes", cookie);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_session_deleted_from_the_store_ends_the_next_call_of_a_warm_cookie()
    {
        var cookie = Cookie();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await NotesAsync(cookie)).StatusCode);
        }

        // The cookie's header is remembered by now (not parsed again), and the session is still looked up.
        var cookieOptions = alice.Rig.Bff.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(BffAuthenticationDefaults.CookieScheme);
        Assert.Equal(1, Assert.IsType<SessionCookieManager>(cookieOptions.CookieManager).Count);

        var session = await alice.Rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.True(await alice.Rig.Sessions.DeleteAsync(session.Key));

        await AssertProblemAsync(await NotesAsync(cookie), HttpStatusCode.Unauthorized, "Authentication required");
    }

    [Fact]
    public async Task A_warm_cookie_without_the_anti_forgery_header_is_refused_every_time()
    {
        var cookie = Cookie();
        Assert.Equal(HttpStatusCode.OK, (await NotesAsync(cookie)).StatusCode);

        for (var i = 0; i < 2; i++)
        {
            await AssertProblemAsync(await NotesAsync(cookie, antiforgery: false), HttpStatusCode.Unauthorized, "Anti-forgery header required");
            Assert.Equal(HttpStatusCode.OK, (await NotesAsync(cookie)).StatusCode);
        }
    }

    [Fact]
    public async Task A_tampered_or_truncated_cookie_is_a_401_problem_not_an_error()
    {
        var cookie = Cookie();
        Assert.Equal(HttpStatusCode.OK, (await NotesAsync(cookie)).StatusCode);
        foreach (var broken in new[] { RawCookieSession.Tampered(cookie), RawCookieSession.Truncated(cookie), RawCookieSession.WithValue(cookie, "garbage") })
        {
            await AssertProblemAsync(await NotesAsync(broken), HttpStatusCode.Unauthorized, "Authentication required");
        }

        Assert.Equal(HttpStatusCode.OK, (await NotesAsync(cookie)).StatusCode);
    }
}
