using Bff.Logout;
using Bff.Logout.Internal;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Logout;

/// <summary>The LiteDB replay cache on a real database file, reopened by a new host to stand for a restart.</summary>
public sealed class LiteDbReplayCacheTests : IDisposable
{
    private readonly BffTempFolder _folder = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _folder.Dispose();

    private IHost Host(int size = 100_000) => BffServices.CreateHost(
        _folder,
        new Dictionary<string, string?> { ["Bff:Backchannel:ReplayCacheSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        configure: services => services.AddSingleton<TimeProvider>(_clock));

    [Fact]
    public async Task It_is_the_default_and_remembers_ids_across_a_restart_until_they_expire()
    {
        using (var first = Host())
        {
            var cache = first.Services.GetRequiredService<ILogoutTokenReplayCache>();
            Assert.IsType<LiteDbLogoutTokenReplayCache>(cache);
            Assert.True(await cache.TryAddAsync("iss jti-1", _clock.GetUtcNow().AddMinutes(5)));
            Assert.False(await cache.TryAddAsync("iss jti-1", _clock.GetUtcNow().AddMinutes(5)));
        }

        using var restarted = Host();
        var again = restarted.Services.GetRequiredService<ILogoutTokenReplayCache>();
        Assert.False(await again.TryAddAsync("iss jti-1", _clock.GetUtcNow().AddMinutes(5)));
        Assert.True(await again.TryAddAsync("iss jti-2", _clock.GetUtcNow().AddMinutes(5)));

        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await again.TryAddAsync("iss jti-1", _clock.GetUtcNow().AddMinutes(5)));
    }

    [Fact]
    public async Task A_full_cache_refuses_new_ids_until_old_ones_expire()
    {
        using var host = Host(size: 100);
        var cache = host.Services.GetRequiredService<ILogoutTokenReplayCache>();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(await cache.TryAddAsync($"iss id-{i}", _clock.GetUtcNow().AddMinutes(1)));
        }

        Assert.False(await cache.TryAddAsync("iss id-new", _clock.GetUtcNow().AddMinutes(1)));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await cache.TryAddAsync("iss id-new", _clock.GetUtcNow().AddMinutes(1)));
    }
}
