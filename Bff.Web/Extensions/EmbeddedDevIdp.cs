using Bff.DevIdp;

namespace Bff.Web.Extensions;

/// <summary>
/// The no-Docker development default: in Development, with no <c>Oidc:Authority</c>, the DevIdp
/// serving <c>realm/</c> starts in-process (on <c>DevIdp:Urls</c>, default http://localhost:8080)
/// and the app signs in against its realm <c>bff</c>. Never outside Development.
/// </summary>
internal sealed class EmbeddedDevIdp(DevIdpServer server, Uri authority)
{
    public const string UrlsKey = "DevIdp:Urls";

    /// <summary>The embedded realm's authority.</summary>
    public Uri Authority => authority;

    public static async Task<EmbeddedDevIdp?> StartIfNeededAsync(WebApplicationBuilder builder, CancellationToken cancellationToken)
    {
        if (!builder.Environment.IsDevelopment() || !string.IsNullOrWhiteSpace(builder.Configuration["Oidc:Authority"]))
        {
            return null;
        }

        var options = new DevIdpServerOptions
        {
            Urls = builder.Configuration[UrlsKey] is { Length: > 0 } urls ? urls : "http://localhost:8080",
            RealmsPath = builder.Configuration["DevIdp:RealmsPath"] is { Length: > 0 } path ? path : null,
        };
        DevIdpServer server;
        try
        {
            server = await DevIdpServer.StartAsync(options, cancellationToken);
        }
        catch (IOException ex)
        {
            // Usually the port is taken (a Keycloak or another DevIdp already listens there).
            throw new InvalidOperationException(
                $"The embedded development IdP could not listen on {options.Urls} ({ex.Message}). "
                + $"Free the port, set {UrlsKey} to another address, or set Oidc:Authority to an existing Keycloak realm.", ex);
        }

        var authority = server.Authority("bff");
        builder.Configuration["Oidc:Authority"] = authority.AbsoluteUri.TrimEnd('/');
        return new EmbeddedDevIdp(server, authority);
    }

    public void StopWith(WebApplication app)
    {
        WebLog.EmbeddedIdpStarted(app.Logger, authority);
        app.Lifetime.ApplicationStarted.Register(() => RegisterAddresses(app));
        app.Lifetime.ApplicationStopped.Register(() => server.DisposeAsync().AsTask().GetAwaiter().GetResult());
    }

    /// <summary>
    /// Lets the embedded realm redirect back to wherever this app really listens (another port than
    /// the realm's http://localhost:5000, or a random one in tests). The identity provider checks the
    /// redirect URI exactly, and with pushed authorization requests a mismatch stops the login before
    /// the browser leaves the app.
    /// </summary>
    private void RegisterAddresses(WebApplication app)
    {
        var roots = new List<string>();
        foreach (var address in app.Urls)
        {
            if (!Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                continue;
            }

            // A wildcard or loopback address is reached by browsers as localhost or 127.0.0.1.
            var hosts = uri.IsLoopback || uri.Host is "0.0.0.0" or "[::]" ? new[] { "localhost", "127.0.0.1" } : [uri.Host];
            roots.AddRange(hosts.Select(host => $"{uri.Scheme}://{host}:{uri.Port}"));
        }

        foreach (var root in roots)
        {
            server.AllowRedirectsTo(new Uri(root));
        }
    }
}
