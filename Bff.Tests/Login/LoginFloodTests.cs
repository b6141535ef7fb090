using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Login;

/// <summary>
/// Each unfinished <c>/bff/login</c> leaves a correlation and a nonce cookie for 15 minutes; a page
/// that starts logins in a loop must not grow the browser's Cookie header until the callback is
/// refused (431), and one address must not make the BFF push an authorization request per request.
/// </summary>
public sealed class LoginFloodTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>
{
    private static bool IsLoginState(Cookie cookie) =>
        cookie.Name.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal) ||
        cookie.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal);

    [Fact]
    public async Task A_hundred_unfinished_logins_keep_a_few_login_states_and_the_browser_can_still_sign_in()
    {
        using var folder = new BffTempFolder();
        await using var bff = await fixture.StartBffAsync(folder, new Dictionary<string, string?> { ["Bff:Login:RateLimit:PermitLimit"] = "1000" });
        using var browser = new BrowserClient(bff.BaseAddress);

        for (var i = 0; i < 100; i++)
        {
            using var started = await browser.GetAsync("/bff/login?returnUrl=%2Fapp", followRedirects: false);
            Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        }

        var states = browser.Cookies.GetAllCookies().Count(IsLoginState);
        using var landed = await browser.SignInAsync(bff.BaseAddress, "alice", "alice-password", "/Profile");

        Assert.True(landed.StatusCode == HttpStatusCode.OK, $"{(int)landed.StatusCode} at {landed.RequestMessage!.RequestUri}");
        Assert.Equal("/Profile", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.InRange(states, 2, 10);
    }

    [Fact]
    public async Task Logins_past_the_per_address_limit_get_429_with_Retry_After_and_push_nothing()
    {
        using var folder = new BffTempFolder();
        await using var bff = await fixture.StartBffAsync(folder, new Dictionary<string, string?>
        {
            ["Bff:Login:RateLimit:PermitLimit"] = "5",
            ["Bff:Login:RateLimit:Window"] = "00:10:00",
        });
        using var raw = bff.CreateRawClient();
        var pushedBefore = fixture.Idp.PushedAuthorizationRequests;

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 8; i++)
        {
            var response = await raw.GetAsync(new Uri("/bff/login?returnUrl=%2F", UriKind.Relative));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Redirect, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);
        Assert.NotNull(refused!.Headers.RetryAfter?.Delta);
        Assert.True(refused.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, fixture.Idp.PushedAuthorizationRequests - pushedBefore);

        // Other endpoints are not limited.
        Assert.Equal(HttpStatusCode.OK, (await raw.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }
}
