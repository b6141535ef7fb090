using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bff.Login.Internal;

/// <summary>Registers step-up authentication (acr).</summary>
internal static class StepUpServiceCollectionExtensions
{
    public static IServiceCollection AddBffStepUp(this IServiceCollection services)
    {
        services.AddAuthorization();

        // Replaces the default provider (registered with TryAdd by AddAuthorization) and keeps its behaviour
        // for every policy name but bff:acr:*. The result handler likewise defers to ASP.NET Core's own.
        services.RemoveAll<IAuthorizationPolicyProvider>();
        services.AddSingleton<IAuthorizationPolicyProvider, AcrPolicyProvider>();
        services.RemoveAll<IAuthorizationMiddlewareResultHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, StepUpResultHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, AcrAuthorizationHandler>());
        return services;
    }
}
