using System.Net;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Security;

/// <summary>
/// A bug that throws is still a 500, but even in Development the answer is a ProblemDetails document
/// (API paths) or the readable error page (pages): never the developer exception page, which echoes
/// the request's headers and cookies, the session cookie included, and the exception's message.
/// </summary>
public sealed class UnhandledErrorAnswerTests : IAsyncLifetime
{
    private const string Secret = "secret-detail-of-the-failure";
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        environment: "Development",
        configure: builder => builder.Services.AddSingleton<IUserSessionService, FailingSessionService>());

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Theory]
    [InlineData("/bff/sessions", "application/problem+json")]
    [InlineData("/Sessions", "text/html")]
    public async Task A_failure_in_Development_echoes_no_header_cookie_or_exception(string path, string mediaType)
    {
        using var alice = await rig.SignInAsync("alice");
        var cookie = alice.GetCookie("__Host-bff")!;

        using var response = path.StartsWith("/bff", StringComparison.Ordinal) ? await alice.GetApiAsync(path) : await alice.GetAsync(path, followRedirects: false);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        // The cookie's tail: every Data Protection output starts alike (CfDJ8...), the antiforgery field too.
        Assert.DoesNotContain(cookie[^32..], body, StringComparison.Ordinal);
        Assert.DoesNotContain("__Host-bff", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("X-CSRF", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A session service with a bug: every call throws.</summary>
    private sealed class FailingSessionService : IUserSessionService
    {
        public Task<IReadOnlyList<UserSessionInfo>> ListAsync(string subject, string? currentSessionKey, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Secret);

        public Task<bool> EndByKeyAsync(string sessionKey, Bff.Sessions.SessionEndReason reason, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Secret);

        public Task<bool> EndOwnAsync(string subject, string sessionId, Bff.Sessions.SessionEndReason reason, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Secret);

        public Task<int> EndAllAsync(SessionFilter filter, Bff.Sessions.SessionEndReason reason, string? exceptSessionKey = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Secret);
    }
}
