using Bff.Security;
using Bff.Security.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registration and pipeline entry of the BFF's security headers.</summary>
public static class BffSecurityHeadersExtensions
{
    /// <summary>Binds <see cref="BffSecurityHeadersOptions"/> from <c>Bff:SecurityHeaders</c>, validated at start-up.</summary>
    internal static IServiceCollection AddBffSecurityHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BffSecurityHeadersOptions>()
            .Bind(configuration.GetSection(BffSecurityHeadersOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffSecurityHeadersOptions>, BffSecurityHeadersOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Adds nosniff, frame protection, Referrer-Policy, Content-Security-Policy and
    /// <c>Cache-Control: no-store</c> on user-specific answers. Call it first in the pipeline, so
    /// that error pages and static files get the headers too.
    /// </summary>
    public static IApplicationBuilder UseBffSecurityHeaders(this IApplicationBuilder app) =>
        app.UseMiddleware<BffSecurityHeadersMiddleware>();

    /// <summary>
    /// Gives the endpoints this endpoint's own Content-Security-Policy (endpoint metadata),
    /// written by the security headers middleware instead of the configured one.
    /// </summary>
    /// <param name="builder">The endpoint (or group).</param>
    /// <param name="policy">The whole header value.</param>
    public static TBuilder WithBffContentSecurityPolicy<TBuilder>(this TBuilder builder, string policy)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        return builder.WithMetadata(new BffContentSecurityPolicy(policy));
    }
}
