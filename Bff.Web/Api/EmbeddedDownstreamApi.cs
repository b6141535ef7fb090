using Bff.DevIdp.Downstream;

namespace Bff.Web.Api;

/// <summary>
/// Part of the no-Docker development default: next to the embedded DevIdp, the small downstream
/// test API starts in-process and <c>/api/remote/</c> is proxied to it, so the SPA's "call remote
/// API" button works on a fresh clone. Only when the DevIdp is embedded and no remote API is configured.
/// </summary>
internal sealed partial class EmbeddedDownstreamApi(DownstreamApiServer server)
{
    /// <summary>Where the downstream API listens (<c>DevIdp:DownstreamUrls</c>). Defaults to a free loopback port.</summary>
    public const string UrlsKey = "DevIdp:DownstreamUrls";

    public static async Task<EmbeddedDownstreamApi?> StartIfNeededAsync(WebApplicationBuilder builder, Uri? embeddedAuthority, CancellationToken cancellationToken)
    {
        if (embeddedAuthority is null || builder.Configuration.GetSection("Bff:RemoteApis").GetChildren().Any())
        {
            return null;
        }

        var server = await DownstreamApiServer.StartAsync(
            new DownstreamApiServerOptions
            {
                Authority = embeddedAuthority,
                Audience = builder.Configuration["Oidc:ClientId"] is { Length: > 0 } clientId ? clientId : "bff",
                Urls = builder.Configuration[UrlsKey] is { Length: > 0 } urls ? urls : "http://127.0.0.1:0",
            },
            cancellationToken);
        builder.Configuration["Bff:RemoteApis:Remote:Path"] = "/api/remote";
        builder.Configuration["Bff:RemoteApis:Remote:Destination"] = server.BaseAddress.AbsoluteUri;
        return new EmbeddedDownstreamApi(server);
    }

    public void StopWith(WebApplication app)
    {
        Started(app.Logger, server.BaseAddress);
        app.Lifetime.ApplicationStopped.Register(() => server.DisposeAsync().AsTask().GetAwaiter().GetResult());
    }

    [LoggerMessage(4200, LogLevel.Information, "Development: the downstream test API runs at {Address}; /api/remote/ is proxied to it with the user's access token (try GET /api/remote/whoami from the SPA at /app).")]
    private static partial void Started(ILogger logger, Uri address);
}
