using Bff.Logout;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Logout;

/// <summary>
/// Where an app's own logout-token replay cache is registered decides whether the BFF's choice (LiteDB,
/// or Redis with Redis sessions) still takes its place: the builder's method replaces both; one
/// registered before AddBff is kept on LiteDB (LiteDbReplayCacheTests pins the default). Resolved from
/// the services only, no server started.
/// </summary>
public sealed class ReplayCacheRegistrationTests : IDisposable
{
    private readonly BffTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private IConfiguration Configuration(bool redisSessions)
    {
        var settings = BffServices.ValidConfiguration(_folder);
        if (redisSessions)
        {
            // Never connected to: resolving the app's cache must not need Redis.
            settings["Bff:Storage:Sessions"] = "Redis";
            settings["ConnectionStrings:Redis"] = "127.0.0.1:1,abortConnect=false";
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static ILogoutTokenReplayCache Resolve(IServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ILogoutTokenReplayCache>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_builder_s_cache_replaces_the_BFF_s_on_LiteDB_and_on_Redis_sessions(bool redisSessions)
    {
        var services = new ServiceCollection();
        services.AddBff(Configuration(redisSessions)).AddLogoutTokenReplayCache<AppReplayCache>();

        Assert.IsType<AppReplayCache>(Resolve(services));
        Assert.Single(services, d => d.ServiceType == typeof(ILogoutTokenReplayCache));
    }

    [Fact]
    public void A_cache_registered_before_AddBff_is_kept_on_LiteDB()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILogoutTokenReplayCache, AppReplayCache>();
        services.AddBff(Configuration(redisSessions: false));

        Assert.IsType<AppReplayCache>(Resolve(services));
    }

    private sealed class AppReplayCache : ILogoutTokenReplayCache
    {
        public Task<bool> TryAddAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
            Task.FromResult(true);
    }
}
