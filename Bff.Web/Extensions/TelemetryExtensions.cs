using Bff.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Bff.Web.Extensions;

/// <summary>
/// OpenTelemetry for the app: the BFF's <c>Bff</c> meter and activity source plus ASP.NET Core's own
/// meters, exported by OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set, and
/// scraped by Prometheus at <c>Bff:Telemetry:PrometheusPath</c> when set. Neither is on by default, and
/// without either the OpenTelemetry SDK is not registered at all, so nothing listens and the
/// instruments cost nothing.
/// </summary>
internal static class TelemetryExtensions
{
    /// <summary>ASP.NET Core's activity source (the incoming request span).</summary>
    public const string AspNetCoreActivitySource = "Microsoft.AspNetCore";

    public static WebApplicationBuilder AddBffTelemetry(this WebApplicationBuilder builder)
    {
        // The same key BffTelemetryOptions binds (and validates); read here because the SDK is registered or not now.
        var prometheus = !string.IsNullOrEmpty(builder.Configuration.GetSection(BffTelemetryOptions.SectionName)[nameof(BffTelemetryOptions.PrometheusPath)]);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        if (!prometheus && !otlp)
        {
            // No exporter, no SDK: nothing listens, so no span is created and no measurement taken.
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BffTelemetry.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            // ASP.NET Core's request spans too: the BFF's spans are their children, and the default
            // parent-based sampler drops children of a request span nobody records.
            telemetry.WithTracing(tracing => tracing.AddSource(BffTelemetry.ActivitySourceName, AspNetCoreActivitySource));

            // Reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS and OTEL_SERVICE_NAME itself.
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    public static WebApplication MapBffPrometheus(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<BffTelemetryOptions>>().Value.PrometheusPath;
        if (string.IsNullOrEmpty(path))
        {
            return app;
        }

        app.MapPrometheusScrapingEndpoint(path).AddEndpointFilter(async (context, next) =>
        {
            // Note: unauthenticated by design (scrapers rarely carry credentials); kept off the public
            // side by refusing what a reverse proxy forwarded. UseForwardedHeaders moves a trusted
            // proxy's header to X-Original-For, so both names count.
            var headers = context.HttpContext.Request.Headers;
            return headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("X-Original-For")
                ? Results.NotFound()
                : await next(context).ConfigureAwait(false);
        });
        return app;
    }
}
