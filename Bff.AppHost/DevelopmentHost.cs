using System.Reflection;
using Bff.DevIdp;
using Bff.DevIdp.Downstream;
using Bff.Web;

namespace Bff.AppHost;

/// <summary>
/// The no-Docker development default in one process: the DevIdp serving <c>realm/</c> (on
/// <c>DevIdp:Urls</c>, default http://localhost:8080), the downstream test API behind
/// <c>/api/remote/</c> (unless <c>Bff:RemoteApis</c> names APIs of its own), and Bff.Web built by
/// <see cref="BffWebApp"/> exactly as its Program.cs builds it, pointed at both.
/// </summary>
/// <remarks>
/// Bff.Web runs in this process rather than as a child process: the app is the same (the same
/// builder, services and pipeline as <c>dotnet Bff.Web.dll</c>), one Ctrl+C stops everything, a
/// debugger attached to the launcher steps through the app and the identity provider alike, and the
/// redirect URIs are registered from the addresses the app really bound, with no log parsing. What a
/// child process would add, the production start-up from a publish folder, PublishTests covers.
/// </remarks>
public sealed class DevelopmentHost : IAsyncDisposable
{
    /// <summary>The configuration section of the DevIdp; every key in it reaches the DevIdp.</summary>
    public const string DevIdpSection = "DevIdp";

    /// <summary>Where the DevIdp listens. Defaults to <see cref="DefaultIdpUrls"/>.</summary>
    public const string UrlsKey = "DevIdp:Urls";

    /// <summary>Where the downstream test API listens. Defaults to a free loopback port.</summary>
    public const string DownstreamUrlsKey = "DevIdp:DownstreamUrls";

    /// <summary>The DevIdp's address when <see cref="UrlsKey"/> is not set: where the realm's URLs and Keycloak's default port say.</summary>
    public const string DefaultIdpUrls = "http://localhost:8080";

    /// <summary>The realm the app signs in against.</summary>
    public const string Realm = "bff";

    private DevelopmentHost(DevIdpServer idp, DownstreamApiServer? downstream, WebApplication app)
    {
        Idp = idp;
        Downstream = downstream;
        App = app;
    }

    /// <summary>The running DevIdp.</summary>
    public DevIdpServer Idp { get; }

    /// <summary>The running downstream test API, or null when <c>Bff:RemoteApis</c> was configured.</summary>
    public DownstreamApiServer? Downstream { get; }

    /// <summary>The app, built and not yet started (<c>RunAsync</c> or <c>StartAsync</c> it).</summary>
    public WebApplication App { get; }

    /// <summary>
    /// Starts the DevIdp and the downstream API, then builds the app against them. The app's
    /// environment defaults to Development and its content root to the Bff.Web project folder (its
    /// appsettings files and wwwroot, as <c>dotnet run --project Bff.Web</c> would use); both can be
    /// overridden in <paramref name="args"/>.
    /// </summary>
    /// <param name="args">Command-line arguments of the app (e.g. <c>--urls</c>, <c>--DevIdp:AccessTokenLifespan=60</c>).</param>
    /// <param name="configure">Changes the app's builder before anything starts (tests add their settings here).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<DevelopmentHost> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = BffWebApp.CreateBuilder([.. DefaultArguments(), .. args]);
        configure?.Invoke(builder);

        var idp = await StartIdpAsync(builder.Configuration, cancellationToken);
        DownstreamApiServer? downstream = null;
        try
        {
            var authority = idp.Authority(Realm);
            builder.Configuration["Oidc:Authority"] = authority.AbsoluteUri.TrimEnd('/');
            downstream = await StartDownstreamIfNeededAsync(builder.Configuration, authority, cancellationToken);

            var app = await BffWebApp.BuildAsync(builder, cancellationToken);
            AppHostLog.IdpStarted(app.Logger, authority);
            if (downstream is not null)
            {
                AppHostLog.DownstreamStarted(app.Logger, downstream.BaseAddress);
            }

            app.Lifetime.ApplicationStarted.Register(() => AllowRedirectsToAppAddresses(idp, app.Urls));
            return new DevelopmentHost(idp, downstream, app);
        }
        catch
        {
            if (downstream is not null)
            {
                await downstream.DisposeAsync();
            }

            await idp.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the app, then the downstream API and the DevIdp.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (Downstream is not null)
        {
            await Downstream.DisposeAsync();
        }

        await Idp.DisposeAsync();
    }

    private static IEnumerable<string> DefaultArguments()
    {
        yield return "--environment";
        yield return "Development";
        if (FindWebProjectFolder() is { } folder)
        {
            yield return "--contentRoot";
            yield return folder;
        }
    }

    /// <summary>
    /// The Bff.Web project folder this launcher was built beside (written into the assembly at build
    /// time, so nothing has to search for it), or null where the binaries were copied away from it.
    /// </summary>
    private static string? FindWebProjectFolder() =>
        typeof(DevelopmentHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BffWebProjectFolder")?.Value is { } folder
            && File.Exists(Path.Combine(folder, "Bff.Web.csproj"))
                ? folder
                : null;

    private static async Task<DevIdpServer> StartIdpAsync(ConfigurationManager configuration, CancellationToken cancellationToken)
    {
        var options = new DevIdpServerOptions
        {
            Urls = configuration[UrlsKey] is { Length: > 0 } urls ? urls : DefaultIdpUrls,
        };

        // Every DevIdp key (RealmsPath, AccessTokenLifespan, PushedAuthorization, any added later)
        // goes to the DevIdp as its own configuration, so none is silently dropped on the way.
        foreach (var (key, value) in configuration.GetSection(DevIdpSection).AsEnumerable())
        {
            if (value is not null)
            {
                options.Configuration[key] = value;
            }
        }

        try
        {
            return await DevIdpServer.StartAsync(options, cancellationToken);
        }
        catch (IOException ex)
        {
            // Usually the port is taken (a Keycloak or another DevIdp already listens there).
            throw new InvalidOperationException(
                $"The development IdP could not listen on {options.Urls} ({ex.Message}). "
                + $"Free the port or set {UrlsKey} to another address (e.g. --{UrlsKey}=http://localhost:8081).", ex);
        }
    }

    private static async Task<DownstreamApiServer?> StartDownstreamIfNeededAsync(ConfigurationManager configuration, Uri authority, CancellationToken cancellationToken)
    {
        if (configuration.GetSection("Bff:RemoteApis").GetChildren().Any())
        {
            return null;
        }

        var options = new DownstreamApiServerOptions
        {
            Authority = authority,
            Audience = configuration["Oidc:ClientId"] is { Length: > 0 } clientId ? clientId : "bff",
        };
        if (configuration[DownstreamUrlsKey] is { Length: > 0 } urls)
        {
            options.Urls = urls;
        }

        var server = await DownstreamApiServer.StartAsync(options, cancellationToken);
        configuration["Bff:RemoteApis:Remote:Path"] = "/api/remote";
        configuration["Bff:RemoteApis:Remote:Destination"] = server.BaseAddress.AbsoluteUri;
        return server;
    }

    /// <summary>
    /// Lets the realm redirect back to wherever the app really listens (another port than the
    /// realm's http://localhost:5000, or a random one in tests). The identity provider checks the
    /// redirect URI exactly, and with pushed authorization requests a mismatch stops the login
    /// before the browser leaves the app.
    /// </summary>
    private static void AllowRedirectsToAppAddresses(DevIdpServer idp, ICollection<string> addresses)
    {
        foreach (var address in addresses)
        {
            var normalized = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
            {
                continue;
            }

            // A wildcard or loopback address is reached by browsers as localhost or 127.0.0.1.
            var hosts = uri.IsLoopback || uri.Host is "0.0.0.0" or "[::]" ? new[] { "localhost", "127.0.0.1" } : [uri.Host];
            foreach (var host in hosts)
            {
                idp.AllowRedirectsTo(new Uri($"{uri.Scheme}://{host}:{uri.Port}"), Realm);
            }
        }
    }
}
