using System.Net;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Web;

/// <summary>
/// What an anonymous browser or SPA sees, over real HTTP, before any login. The identity provider
/// here is an address where nothing listens: these requests must not need it, or must fail readably.
/// </summary>
public sealed class AnonymousRequestTests : IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private BffHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        // /api/probe and /bff/probe challenge the default (cookie) scheme, as any protected API endpoint does.
        _host = await BffHost.StartAsync(
            BffHost.Settings(_folder, new Uri("http://127.0.0.1:9/realms/bff")),
            configure: builder => builder.Services.AddTransient<IStartupFilter, ProbeEndpoints>());
        _client = _host.CreateRawClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Home_is_open_and_offers_a_login()
    {
        var response = await _client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/bff/login", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Profile", "/bff/login?returnUrl=%2FProfile")]
    [InlineData("/Users?x=1", "/bff/login?returnUrl=%2FUsers%3Fx%3D1")]
    public async Task Pages_send_anonymous_people_to_login_with_a_return_url(string page, string expected)
    {
        var response = await _client.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith(expected, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("/%09/evil.example")]
    public async Task An_open_redirect_in_returnUrl_is_refused_with_400_problem_details(string returnUrl)
    {
        var response = await _client.GetAsync("/bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Two_returnUrl_values_are_refused()
    {
        var response = await _client.GetAsync("/bff/login?returnUrl=%2Fa&returnUrl=%2F%2Fevil.example");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_unreachable_identity_provider_gives_a_page_naming_the_setting()
    {
        var response = await _client.GetAsync("/bff/login?returnUrl=%2FProfile");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Error?error=idp_unavailable", response.Headers.Location!.OriginalString);
        var page = await _client.GetAsync(response.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Oidc:Authority", html, StringComparison.Ordinal);
        Assert.True(page.StatusCode is HttpStatusCode.BadRequest, $"status {page.StatusCode}");
    }

    [Theory]
    [InlineData("/api/probe", null)]
    [InlineData("/bff/probe", null)]
    [InlineData("/Profile", "1")]
    public async Task Api_requests_get_401_json_instead_of_a_redirect(string path, string? csrf)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF", csrf);
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%00%01")]
    public async Task A_tampered_cookie_is_anonymous_not_an_error(string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Profile");
        request.Headers.Add("Cookie", "__Host-bff=" + value);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/bff/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_page_never_reflects_an_unknown_error_code()
    {
        var html = await (await _client.GetAsync("/Error?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)", html, StringComparison.Ordinal);
    }

    private sealed class ProbeEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path.Value is "/api/probe" or "/bff/probe")
                {
                    await context.ChallengeAsync();
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
