namespace Bff.Web.Extensions;

/// <summary>
/// The no-Docker development default: in Development, with no <c>Oidc:Authority</c>, the DevIdp
/// serving <c>realm/</c> starts in-process and the app signs in against it.
/// </summary>
internal sealed class EmbeddedDevIdp(Func<Task> stopAsync)
{
    public static Task<EmbeddedDevIdp?> StartIfNeededAsync(WebApplicationBuilder builder, CancellationToken cancellationToken)
    {
        _ = builder;
        _ = cancellationToken;
        // Wired to Bff.DevIdp.DevIdpServer once the DevIdp exposes it.
        return Task.FromResult<EmbeddedDevIdp?>(null);
    }

    public void StopWith(WebApplication app) =>
        app.Lifetime.ApplicationStopped.Register(() => stopAsync().GetAwaiter().GetResult());
}
