using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>Registers the BFF's API protection.</summary>
internal static class BffApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the API scheme (<see cref="BffApiDefaults.AuthenticationScheme"/>: bearer token or cookie
    /// session plus <c>X-CSRF: 1</c>, JSON 401/403), the JWT bearer scheme configured from the
    /// OpenID Connect login, and the <see cref="BffApiDefaults.Policy"/> authorization policy.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="bffSection">The <c>Bff</c> configuration section, or <see langword="null"/>.</param>
    public static IServiceCollection AddBffApiAuthentication(this IServiceCollection services, IConfiguration? bffSection = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<BffApiOptions>();
        if (bffSection is not null)
        {
            options.Bind(bffSection);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffApiOptions>, BffApiOptionsValidator>());

        services.AddMemoryCache();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BffApiAuthenticationHandler>(BffApiDefaults.AuthenticationScheme, displayName: null, _ => { })
            .AddJwtBearer(BffApiDefaults.BearerScheme, _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, ConfigureBearerFromOpenIdConnect>());

        services.AddAuthorizationBuilder().AddPolicy(BffApiDefaults.Policy, policy => policy
            .AddAuthenticationSchemes(BffApiDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser());

        // ASP.NET Core's evaluator, without its per-request merge for a policy of one scheme and with
        // the API request's shortcuts; an app that registered an evaluator of its own keeps it.
        var evaluator = services.LastOrDefault(d => d.ServiceType == typeof(IPolicyEvaluator));
        if (evaluator is null || evaluator.ImplementationType == typeof(PolicyEvaluator))
        {
            services.AddMetrics();
            services.TryAddSingleton<SecurityMetricsWatch>();
            services.TryAddSingleton<AuthenticatedUserAuthorization>();
            services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, BffPolicyEvaluator>());
        }

        return services;
    }
}
