using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Telemetry.Internal;

/// <summary>Endpoint conventions that count and trace whole endpoints, so the endpoints themselves stay as they are.</summary>
internal static class TelemetryConventions
{
    /// <summary>Counts <c>bff.proxy.requests</c> and opens a <c>bff.proxy</c> span around a remote API's forwarder.</summary>
    public static TBuilder WithProxyTelemetry<TBuilder>(this TBuilder builder, string route)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate ?? throw new InvalidOperationException("A forwarder endpoint has a request delegate.");
            var metrics = endpoint.ApplicationServices.GetRequiredService<BffMetrics>();

            // Checked per request, since a listener may come and go: with none, the forwarder runs as
            // it is, without a wrapping state machine on every forwarded call.
            endpoint.RequestDelegate = context => metrics.ProxyRequestsObserved || BffActivities.Source.HasListeners()
                ? ObservedAsync(context)
                : inner(context);

            async Task ObservedAsync(HttpContext context)
            {
                using var activity = BffActivities.StartProxy(route);
                await inner(context).ConfigureAwait(false);
                var status = context.Response.StatusCode;
                activity?.SetTag(BffTags.StatusCode, status);
                metrics.ProxyRequest(route, status);
            }
        });
        return builder;
    }

    /// <summary>Counts <c>bff.backchannel_logouts</c> by the endpoint's answer: 200 accepted, 503 unavailable, else refused.</summary>
    public static TBuilder WithBackchannelTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate ?? throw new InvalidOperationException("The back-channel endpoint has a request delegate.");
            endpoint.RequestDelegate = async context =>
            {
                await inner(context).ConfigureAwait(false);
                context.RequestServices.GetRequiredService<BffMetrics>().BackchannelLogout(context.Response.StatusCode switch
                {
                    StatusCodes.Status200OK => "accepted",
                    StatusCodes.Status503ServiceUnavailable => "unavailable",
                    _ => "refused",
                });
            };
        });
        return builder;
    }
}
