using Bff.Web.Extensions;

namespace Bff.Web;

/// <summary>
/// The app's entry, shared by <c>Program.cs</c> and tests: tests pass <c>--urls http://127.0.0.1:0</c>
/// and configuration overrides, start the app and read the bound address from the server.
/// </summary>
public static class BffWebApp
{
    /// <summary>
    /// Creates the builder with the app's services registered, but for those chosen by configuration
    /// (telemetry exporters, the storage of users and notes): <see cref="BuildAsync(WebApplicationBuilder, CancellationToken)"/>
    /// registers those, from the configuration the caller completed.
    /// </summary>
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
    /// What Development without <c>Oidc:Authority</c> says: the development identity provider is
    /// not part of this app (nor of its image), the launcher starts it.
    /// </summary>
    public const string MissingDevelopmentAuthorityMessage =
        "Oidc:Authority is not set. This app carries no identity provider: for the embedded development default "
        + "(the DevIdp serving realm/, the downstream test API and this app) run `dotnet run --project Bff.AppHost`; "
        + "to use a Keycloak realm, set Oidc:Authority (e.g. Oidc__Authority=http://localhost:8080/realms/bff).";

    /// <summary>
    /// Builds the app from a builder made by <see cref="CreateBuilder"/> (further configured by the
    /// caller) and sets up the pipeline.
    /// </summary>
    public static Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        cancellationToken.ThrowIfCancellationRequested();

        // Outside Development the options validation already refuses an empty authority at start-up;
        // in Development the likely cause is `dotnet run --project Bff.Web` where the launcher was meant.
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration["Oidc:Authority"]))
        {
            throw new InvalidOperationException(MissingDevelopmentAuthorityMessage);
        }

        // OpenTelemetry exporters are chosen from the configuration as complete as it gets, here:
        // OTLP by OTEL_EXPORTER_OTLP_ENDPOINT, Prometheus by Bff:Telemetry:PrometheusPath.
        builder.AddBffTelemetry();

        // The same for the storage of users and notes: Bff:Storage:Users decides what is registered.
        builder.AddBffWebStorage();
        var app = builder.Build();
        app.UseBffWeb();
        return Task.FromResult(app);
    }

    /// <summary>Creates and builds the app from command-line arguments.</summary>
    public static Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken = default) =>
        BuildAsync(CreateBuilder(args), cancellationToken);
}
