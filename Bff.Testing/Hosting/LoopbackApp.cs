using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Testing.Hosting;

/// <summary>
/// Starts an ASP.NET Core app for a test on a free loopback port (Kestrel on port 0) and reads the
/// address it got: real HTTP, no test server, so cookies, redirects and timeouts behave as they do
/// in production.
/// </summary>
public static class LoopbackApp
{
    /// <summary>Where a test app listens: loopback, a port the OS picks.</summary>
    public const string Urls = "http://127.0.0.1:0";

    /// <summary>
    /// The command-line arguments for <c>WebApplication.CreateBuilder(args)</c> that make an app listen on
    /// <see cref="Urls"/> in <paramref name="environment"/>, with <paramref name="contentRoot"/> when given
    /// (e.g. the app's project folder, so its wwwroot is served as in <c>dotnet run</c>).
    /// </summary>
    public static string[] Arguments(string environment = "Production", string? contentRoot = null) =>
        contentRoot is null
            ? ["--urls", Urls, "--environment", environment]
            : ["--urls", Urls, "--environment", environment, "--contentRoot", contentRoot];

    /// <summary>Adds <paramref name="settings"/> over the builder's configuration (later keys win).</summary>
    public static WebApplicationBuilder WithSettings(this WebApplicationBuilder builder, IEnumerable<KeyValuePair<string, string?>>? settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        return builder;
    }

    /// <summary>Starts a built app and returns its root address (ending with <c>/</c>); disposes the app if it fails to start.</summary>
    public static async Task<Uri> StartOnLoopbackAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app.Services.BoundAddress();
    }

    /// <summary>The first address a started server listens on, as a root URI ending with <c>/</c>.</summary>
    public static Uri BoundAddress(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server exposes no addresses (not Kestrel?).");
        var first = addresses.FirstOrDefault() ?? throw new InvalidOperationException("The server is not listening (was it started?).");
        return new Uri(first.TrimEnd('/') + "/");
    }

    /// <summary>Stops and disposes an app, the way every test host ends.</summary>
    public static async Task StopAndDisposeAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
