using Bff.Web.Extensions;

namespace Bff.Web;

/// <summary>
/// The app's entry, shared by <c>Program.cs</c> and tests: tests pass <c>--urls http://127.0.0.1:0</c>
/// and configuration overrides, start the app and read the bound address from the server.
/// </summary>
public static class BffWebApp
{
    /// <summary>Creates the builder with every service of the app registered.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The application name selects the assembly whose Razor Pages and static web assets are
            // served; under a test runner the entry assembly would be the runner's.
            ApplicationName = typeof(BffWebApp).Assembly.GetName().Name,
        });
        builder.AddBffWeb();
        return builder;
    }

    /// <summary>
    /// Builds the app from a builder made by <see cref="CreateBuilder"/> (further configured by the
    /// caller): starts the embedded development IdP when configured, and sets up the pipeline.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var embeddedIdp = await EmbeddedDevIdp.StartIfNeededAsync(builder, cancellationToken);
        var embeddedApi = await Api.EmbeddedDownstreamApi.StartIfNeededAsync(builder, embeddedIdp?.Authority, cancellationToken);
        var app = builder.Build();
        embeddedIdp?.StopWith(app);
        embeddedApi?.StopWith(app);
        app.UseBffWeb();
        return app;
    }

    /// <summary>Creates and builds the app from command-line arguments.</summary>
    public static Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default) =>
        BuildAsync(CreateBuilder(args), cancellationToken);
}
