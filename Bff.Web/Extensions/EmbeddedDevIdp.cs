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
        app.Lifetime.ApplicationStopped.Register(() => server.DisposeAsync().AsTask().GetAwaiter().GetResult());
    }
}
