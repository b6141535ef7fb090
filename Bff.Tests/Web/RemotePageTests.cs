using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bff.Tests.TestInfra;
using Bff.Tokens.Internal;
using Bff.Web.Api;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.Tests.Web;

/// <summary>
/// The Remote page calls the downstream test API's <c>GET /whoami</c> from the server, through the
/// typed <see cref="RemoteApiClient"/> with <c>UserAccessTokenHandler</c>: with the DevIdp, the
/// downstream API and the BFF on real loopback HTTP, in each way the token or the API can fail.
/// Every BFF log line is captured, and no page or log line may carry a token.
/// </summary>
public sealed class RemotePageTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider logs = new();
    private readonly List<string> tokensSeen = [];
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(configure: builder => logs.AttachTo(builder.Logging));

    public async Task DisposeAsync()
    {
        await rig.DisposeAsync();

        // Only tokens at least 20 characters long count, so short log words cannot match by chance.
        foreach (var token in tokensSeen.Where(t => t.Length >= 20).Distinct(StringComparer.Ordinal))
        {
            Assert.DoesNotContain(logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Signed_in_the_page_shows_what_the_downstream_api_saw_of_alice()
    {
        using var browser = await rig.SignInAsync("alice");
        await RememberTokensAsync();
        var grants = rig.RefreshGrants;

        using var response = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var html = await PageAsync(response);
        Assert.Equal("alice", Cell(html, "remote-username"));
        Assert.Equal(TestUsers.Alice.Id, Cell(html, "remote-subject"));
        Assert.Contains("admin", Cell(html, "remote-roles").Split(", "));
        Assert.Contains("bff", Cell(html, "remote-audience").Split(", "));
        Assert.Contains("openid", Cell(html, "remote-scopes").Split(' '));
        Assert.Contains("id=\"nav-remote\"", html, StringComparison.Ordinal);
        Assert.Equal(grants, rig.RefreshGrants); // a fresh token is used as it is
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_once_and_the_page_shows_the_answer()
    {
        using var browser = await rig.SignInAsync("alice");
        var before = await RememberTokensAsync();
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        var grants = rig.RefreshGrants;

        using var response = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await PageAsync(response);
        Assert.Equal("alice", Cell(html, "remote-username"));
        Assert.Equal(grants + 1, rig.RefreshGrants);
        var after = await RememberTokensAsync();
        Assert.Equal(before.Key, after.Key);
        Assert.NotEqual(before.Tokens!.AccessToken, after.Tokens!.AccessToken);
        Assert.True(DateTimeOffset.Parse(Cell(html, "remote-token-expires"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);

        // The refreshed token is stored: the next visit needs no refresh.
        using var again = await browser.GetAsync("/Remote", followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(grants + 1, rig.RefreshGrants);
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session_and_sends_the_person_to_sign_in_and_back()
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await RememberTokensAsync();
        var revoked = await rig.Bff.Services.GetRequiredService<IOidcTokenClient>().RevokeRefreshTokenAsync(session.Tokens!.RefreshToken!);
        Assert.True(revoked.Succeeded, revoked.Error);
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        var grants = rig.RefreshGrants;

        using var response = await browser.GetAsync("/Remote?from=test", followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(grants + 1, rig.RefreshGrants); // the refresh was tried, and refused
        var location = new Uri(rig.Bff.BaseAddress, response.Headers.Location!);
        Assert.Equal(rig.Bff.BaseAddress.Authority, location.Authority);
        Assert.Equal("/bff/login", location.AbsolutePath);
        Assert.Equal("/Remote?from=test", QueryHelpers.ParseQuery(location.Query)["returnUrl"].ToString());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c =>
            c.StartsWith("__Host-bff=", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Null(await rig.Sessions.GetAsync(session.Key));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetApiAsync("/bff/user")).StatusCode);

        // Following the redirect signs in again (form or SSO) and lands back on the page, working.
        using var back = await KeycloakLoginForm.SignInAsync(browser, location, "alice", "alice-password");
        Assert.Equal("/Remote", back.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal("alice", Cell(await back.Content.ReadAsStringAsync(), "remote-username"));
        Assert.NotEqual(session.Key, (await RememberTokensAsync()).Key);
    }

    [Fact]
    public async Task While_the_IdP_is_down_the_page_is_a_readable_503_and_the_session_survives_its_return()
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await RememberTokensAsync();
        await rig.ExpireAccessTokenAsync(TestUsers.Alice.Id);
        await rig.Idp.StopAsync();

        using var during = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("text/html", during.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", during.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.NotNull(during.Headers.RetryAfter);
        var html = await PageAsync(during);
        Assert.Contains("Sign-in service unavailable", html, StringComparison.Ordinal);
        Assert.Contains("still signed in", html, StringComparison.Ordinal);
        Assert.Contains("try again", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"/Remote\"", html, StringComparison.Ordinal);
        SessionCookie.AssertKept(during);
        Assert.NotNull(await rig.Sessions.GetAsync(session.Key));

        await rig.Idp.RestartAsync();
        var grants = rig.RefreshGrants;
        using var after = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("alice", Cell(await PageAsync(after), "remote-username"));
        Assert.Equal(grants + 1, rig.RefreshGrants);
        Assert.Equal(session.Key, (await RememberTokensAsync()).Key);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task When_the_downstream_api_fails_the_page_is_a_readable_502_and_the_session_is_kept(int status)
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await RememberTokensAsync();
        rig.Downstream.FailureStatusCode = status;

        using var during = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.BadGateway, during.StatusCode);
        Assert.Equal("text/html", during.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", during.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var html = await PageAsync(during);
        Assert.Equal("Remote API failed", Cell(html, "error-title"));
        Assert.Contains($"HTTP {status}", Cell(html, "error-message"), StringComparison.Ordinal);
        Assert.Contains("still signed in", html, StringComparison.Ordinal);
        SessionCookie.AssertKept(during);

        rig.Downstream.FailureStatusCode = null;
        using var after = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("alice", Cell(await PageAsync(after), "remote-username"));
        Assert.Equal(session.Key, (await RememberTokensAsync()).Key);
    }

    [Fact]
    public async Task When_the_downstream_api_is_down_the_page_is_a_readable_502_and_the_session_is_kept()
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await RememberTokensAsync();
        await rig.Downstream.StopAsync();

        using var during = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.BadGateway, during.StatusCode);
        Assert.Equal("text/html", during.Content.Headers.ContentType?.MediaType);
        var html = await PageAsync(during);
        Assert.Equal("Remote API unreachable", Cell(html, "error-title"));
        Assert.Contains(logs.Lines, line => line.Contains("remote API call failed: Unreachable", StringComparison.Ordinal)); // the capture works
        Assert.Contains("still signed in", html, StringComparison.Ordinal);
        SessionCookie.AssertKept(during);
        Assert.Equal(session.Key, (await RememberTokensAsync()).Key);
        using var profile = await browser.GetAsync("/Profile", followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_visit_is_sent_to_login_with_a_return_url_and_sees_no_link()
    {
        using var anonymous = new BrowserClient(rig.Bff.BaseAddress);

        using var response = await anonymous.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/bff/login?returnUrl=%2FRemote", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var home = await anonymous.GetAsync("/", followRedirects: false);
        Assert.DoesNotContain("nav-remote", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The newest session of alice; its tokens join those no page or log may show.</summary>
    private async Task<Bff.Sessions.ServerSession> RememberTokensAsync()
    {
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);
        if (session.Tokens is { } tokens)
        {
            tokensSeen.AddRange(new[] { tokens.AccessToken, tokens.RefreshToken, tokens.IdToken }.OfType<string>());
        }

        return session;
    }

    /// <summary>The page's HTML, checked for a stack trace and for every token seen so far.</summary>
    private async Task<string> PageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        foreach (var token in tokensSeen)
        {
            Assert.DoesNotContain(token, html, StringComparison.Ordinal);
        }

        return html;
    }

    private static string Cell(string html, string id)
    {
        var match = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*>([^<]*)<");
        Assert.True(match.Success, $"no element #{id} in the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
    }
}

/// <summary>A downstream API that accepts connections and never answers: the page gives up with a readable 504.</summary>
public sealed class RemotePageTimeoutTests : IAsyncLifetime
{
    private readonly TcpListener silent = new(IPAddress.Loopback, 0);
    private TokenTestRig rig = null!;

    public async Task InitializeAsync()
    {
        // The kernel completes the handshake for the listen backlog; nothing ever reads or answers.
        silent.Start();
        var destination = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/";
        rig = await TokenTestRig.StartAsync(
            bffSettings: new Dictionary<string, string?> { ["Bff:RemoteApis:Remote:Destination"] = destination },
            configure: builder => builder.Services.AddHttpClient<RemoteApiClient>().ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(2)));
    }

    public async Task DisposeAsync()
    {
        await rig.DisposeAsync();
        silent.Stop();
        silent.Dispose();
    }

    [Fact]
    public async Task A_silent_downstream_api_gives_a_readable_504_and_the_session_is_kept()
    {
        using var browser = await rig.SignInAsync("alice");
        var session = await rig.SessionOfAsync(TestUsers.Alice.Id);

        using var response = await browser.GetAsync("/Remote", followRedirects: false);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("did not answer in time", html, StringComparison.Ordinal);
        Assert.Contains("still signed in", html, StringComparison.Ordinal);
        SessionCookie.AssertKept(response);
        Assert.Equal(session.Key, (await rig.SessionOfAsync(TestUsers.Alice.Id)).Key);
    }
}

/// <summary>Checks on the BFF's session cookie in an answer.</summary>
internal static class SessionCookie
{
    /// <summary>The answer does not delete the session cookie (other cookies, or a renewal of it, may come).</summary>
    public static void AssertKept(HttpResponseMessage response)
    {
        var cleared = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.Any(c => c.StartsWith("__Host-bff=", StringComparison.Ordinal)
                && (c.StartsWith("__Host-bff=;", StringComparison.Ordinal) || c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)));
        Assert.False(cleared, "the answer clears the session cookie");
    }
}

/// <summary>Keeps every log line of the app (Debug and up, with exceptions) for checks.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IEnumerable<string> Lines => lines;

    public void AttachTo(ILoggingBuilder logging)
    {
        logging.AddProvider(this);
        logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Debug);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a value can reach a log store without being in the message.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} {values} {exception}");
        }
    }
}
