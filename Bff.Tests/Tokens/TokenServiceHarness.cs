using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Bff.Tokens;
using Bff.Tokens.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Tokens;

/// <summary>
/// The token service as AddBff registers it (real LiteDB session store, real HttpClient factory),
/// pointed at a <see cref="LoopbackTokenEndpoint"/>.
/// </summary>
public sealed class TokenServiceHarness : IAsyncDisposable
{
    private readonly BffTempFolder folder = new();
    private readonly IHost host;

    private TokenServiceHarness(LoopbackTokenEndpoint idp, IDictionary<string, string?>? overrides, Action<IServiceCollection>? configure)
    {
        Idp = idp;
        host = BffServices.CreateHost(folder, overrides, configure: services =>
        {
            services.AddSingleton<IOidcClientSettingsProvider>(new FixedSettings(new OidcClientSettings(
                idp.Issuer, LoopbackTokenEndpoint.ClientId, LoopbackTokenEndpoint.ClientSecret, RequireHttps: false)));
            configure?.Invoke(services);
        });
    }

    public LoopbackTokenEndpoint Idp { get; }

    internal IInternalSessionStore Store => host.Services.GetRequiredService<IInternalSessionStore>();

    public IUserTokenManager Tokens => host.Services.GetRequiredService<IUserTokenManager>();

    internal IOidcTokenClient TokenClient => host.Services.GetRequiredService<IOidcTokenClient>();

    internal SessionTokenService SessionTokens => host.Services.GetRequiredService<SessionTokenService>();

    /// <summary>
    /// A second token service over the same session store, token client and options, with a single
    /// flight and a Redis lease of its own: another instance, as far as refresh coordination goes.
    /// </summary>
    internal SessionTokenService SecondTokenService(StackExchange.Redis.IConnectionMultiplexer connection) =>
        ActivatorUtilities.CreateInstance<SessionTokenService>(
            host.Services,
            ActivatorUtilities.CreateInstance<RedisRefreshCoordinator>(host.Services, connection));

    /// <summary>Starts the harness; <paramref name="configure"/> registers services before AddBff's (e.g. a Redis connection).</summary>
    public static async Task<TokenServiceHarness> StartAsync(IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null) =>
        new(await LoopbackTokenEndpoint.StartAsync(), overrides, configure);

    /// <summary>Saves a session whose access token expires at <paramref name="accessTokenExpiresAt"/>.</summary>
    public async Task<string> CreateSessionAsync(DateTimeOffset accessTokenExpiresAt, bool withRefreshToken = true, string accessToken = "at-initial")
    {
        var key = "session-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        await Store.SaveAsync(new ServerSession
        {
            Key = key,
            Subject = "sub-1",
            Ticket = [1, 2, 3],
            Tokens = new SessionTokens(accessToken, accessTokenExpiresAt, withRefreshToken ? Idp.IssueRefreshToken() : null, "id-token"),
            Created = now,
            LastSeen = now,
            Expires = now.AddHours(1),
        });
        return key;
    }

    public Task<string> CreateExpiredSessionAsync() => CreateSessionAsync(DateTimeOffset.UtcNow.AddMinutes(-1));

    public async ValueTask DisposeAsync()
    {
        host.Dispose();
        await Idp.DisposeAsync();
        folder.Dispose();
    }

    private sealed class FixedSettings(OidcClientSettings settings) : IOidcClientSettingsProvider
    {
        public ValueTask<OidcClientSettings> GetSettingsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(settings);
    }
}
