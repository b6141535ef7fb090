using System.Collections.Concurrent;
using System.Net;
using Bff.Login.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Login;

/// <summary>
/// The OpenID Connect events are one object for the app (the handler resolves them on every request),
/// yet the app's parts they call at login and logout still come from each request's services: an app
/// may register its user mapper or session service as scoped. The host runs in Development, where a
/// singleton that captured a scoped service fails at resolution.
/// </summary>
public sealed class LoginEventsLifetimeTests : IAsyncLifetime
{
    private readonly ConcurrentBag<RequestScope> mapperScopes = [];
    private readonly ConcurrentBag<RequestScope> sessionScopes = [];
    private TokenTestRig rig = null!;

    public async Task InitializeAsync() => rig = await TokenTestRig.StartAsync(
        environment: "Development",
        configure: builder =>
        {
            builder.Services.AddScoped<RequestScope>();
            builder.Services.AddSingleton<DefaultUserMapper>();
            builder.Services.AddSingleton<DefaultUserSessionService>();
            builder.Services.AddScoped<IUserMapper>(services => new ScopedUserMapper(
                services.GetRequiredService<DefaultUserMapper>(), services.GetRequiredService<RequestScope>(), mapperScopes));
            builder.Services.AddScoped<IUserSessionService>(services => new ScopedSessionService(
                services.GetRequiredService<DefaultUserSessionService>(), services.GetRequiredService<RequestScope>(), sessionScopes));
        });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public void The_events_are_one_instance_for_the_app()
    {
        using var first = rig.Bff.Services.CreateScope();
        using var second = rig.Bff.Services.CreateScope();

        Assert.Same(
            first.ServiceProvider.GetRequiredService<BffOpenIdConnectEvents>(),
            second.ServiceProvider.GetRequiredService<BffOpenIdConnectEvents>());
    }

    [Fact]
    public async Task Scoped_app_services_are_resolved_from_each_login_request()
    {
        using var browser = await rig.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);

        // Signing in again ends the old session through the session service, in the callback's scope.
        var landed = await browser.GetAsync("/bff/login?returnUrl=%2Fapp");
        Assert.Equal("/app", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetApiAsync("/bff/user")).StatusCode);

        Assert.Equal(2, mapperScopes.Count);
        Assert.Equal(2, mapperScopes.Distinct().Count());
        Assert.Single(sessionScopes);
    }

    /// <summary>One per request scope.</summary>
    private sealed class RequestScope;

    private sealed class ScopedUserMapper(IUserMapper inner, RequestScope scope, ConcurrentBag<RequestScope> seen) : IUserMapper
    {
        public Task<UserMappingResult> MapAsync(UserLoginInfo login, CancellationToken cancellationToken = default)
        {
            seen.Add(scope);
            return inner.MapAsync(login, cancellationToken);
        }
    }

    private sealed class ScopedSessionService(IUserSessionService inner, RequestScope scope, ConcurrentBag<RequestScope> seen) : IUserSessionService
    {
        public Task<IReadOnlyList<UserSessionInfo>> ListAsync(string subject, string? currentSessionKey, CancellationToken cancellationToken = default) =>
            inner.ListAsync(subject, currentSessionKey, cancellationToken);

        public Task<bool> EndByKeyAsync(string sessionKey, SessionEndReason reason, CancellationToken cancellationToken = default)
        {
            seen.Add(scope);
            return inner.EndByKeyAsync(sessionKey, reason, cancellationToken);
        }

        public Task<bool> EndOwnAsync(string subject, string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default) =>
            inner.EndOwnAsync(subject, sessionId, reason, cancellationToken);

        public Task<int> EndAllAsync(SessionFilter filter, SessionEndReason reason, string? exceptSessionKey = null, CancellationToken cancellationToken = default) =>
            inner.EndAllAsync(filter, reason, exceptSessionKey, cancellationToken);
    }
}
