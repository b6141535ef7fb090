using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.Testing.Hosting;

/// <summary>
/// A tiny web site on a free loopback port for tests that need an endpoint of their own: a redirect
/// URI that receives an authorization response, a stand-in token endpoint or JWKS, a page that
/// records what it was sent.
/// </summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private LoopbackSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The site's root, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The site's services (for what <c>configureServices</c> registered).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a site whose endpoints <paramref name="map"/> declares.</summary>
    /// <param name="map">Maps the site's endpoints (and any middleware, which runs before them).</param>
    /// <param name="host">The loopback host to name in <see cref="BaseAddress"/> (<c>127.0.0.1</c> or
    /// <c>localhost</c>: different sites for a browser).</param>
    /// <param name="configureServices">Registers services the endpoints need.</param>
    public static async Task<LoopbackSite> StartAsync(
        Action<WebApplication> map, string host = "127.0.0.1", Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder(LoopbackApp.Arguments("Development"));
        builder.Logging.ClearProviders();
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        map(app);
        var bound = await app.StartOnLoopbackAsync();
        return new LoopbackSite(app, new UriBuilder(bound) { Host = host }.Uri);
    }

    /// <summary>Stops answering (the site went away, as an identity provider might) without disposing it.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
