using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.E2E.TestInfra;

/// <summary>
/// A tiny web site on a free loopback port for journeys that need a page of their own: a redirect
/// URI that receives an authorization response, or a static page to prove the browser plumbing.
/// </summary>
public sealed class LoopbackSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The site's root, ending with '/'.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts a site whose endpoints <paramref name="map"/> declares.</summary>
    /// <param name="map">Maps the site's endpoints.</param>
    /// <param name="host">The loopback host to bind and to name in <see cref="BaseAddress"/>
    /// (<c>127.0.0.1</c> or <c>localhost</c>: different sites for the browser).</param>
    public static async Task<LoopbackSite> StartAsync(Action<IEndpointRouteBuilder> map, string host = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return new LoopbackSite(app, new UriBuilder(bound) { Host = host, Path = "/" }.Uri);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
