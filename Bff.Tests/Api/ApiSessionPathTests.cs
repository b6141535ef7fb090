using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Api;

/// <summary>
/// A local API call on a warm session (its cookie remembered, its ticket in the store's memory): the
/// session is still looked up on every call, the anti-forgery header is still required, and a broken
/// cookie is a 401 ProblemDetails, never an error.
/// </summary>
public sealed class ApiSessionPathTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;
    private BrowserClient alice = null!;
    private HttpClient raw = null!;

    public async Task InitializeAsync()
    {
        rig = await TokenTestRig.StartAsync();
        alice = await rig.SignInAsync("alice");
        raw = rig.Bff.CreateRawClient();
    }

    public async Task DisposeAsync()
    {
        raw.Dispose();
        alice.Dispose();
        await rig.DisposeAsync();
    }

    private string Cookie() => alice.CookieHeaderFor("/api/notes");

    private async Task<HttpResponseMessage> NotesAsync(string cookie, bool antiforgery = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notes");
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        if (antiforgery)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        return await raw.SendAsync(request);
    }

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

        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        Assert.True(await rig.Sessions.DeleteAsync(session.Key));

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
        var (name, value) = (cookie[..cookie.IndexOf('=', StringComparison.Ordinal)], cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var flipped = value[..^5] + (value[^5] == 'A' ? 'B' : 'A') + value[^4..];

        foreach (var broken in new[] { flipped, value[..(value.Length / 2)], "garbage" })
        {
            await AssertProblemAsync(await NotesAsync(name + "=" + broken), HttpStatusCode.Unauthorized, "Authentication required");
        }

        Assert.Equal(HttpStatusCode.OK, (await NotesAsync(cookie)).StatusCode);
    }
}
