using System.Security.Claims;
using Bff.Login.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.Security.Internal;

/// <summary>
/// Grants a policy that asks for nothing but an authenticated user (the BFF's API policy) to a user who
/// is authenticated, without ASP.NET Core's authorization service: the service builds a handler context,
/// a set of pending requirements and its handler list on every call, only to run
/// <see cref="DenyAnonymousAuthorizationRequirement"/>'s one check.
/// </summary>
/// <remarks>
/// Important: it only ever says yes where the service would say yes and leave no other trace: every
/// requirement of the policy is <see cref="DenyAnonymousAuthorizationRequirement"/>, the authorization
/// services are ASP.NET Core's own, every registered handler is one known to leave that requirement alone
/// (besides <see cref="PassThroughAuthorizationHandler"/>, which runs it), and neither the service's
/// Debug log of a success nor its metrics are on. Otherwise, and for every user who is not authenticated,
/// the caller asks the service, so an app's own handlers, every refusal and its log stay the service's.
/// </remarks>
internal sealed class AuthenticatedUserAuthorization(ILogger<DefaultAuthorizationService> serviceLog, SecurityMetricsWatch metrics)
{
    // Handlers that act on their own requirement type only, which a policy of authenticated users lacks.
    private static readonly Type[] HandlersThatIgnoreTheRequirement = [typeof(PassThroughAuthorizationHandler), typeof(AcrAuthorizationHandler)];

    private readonly RegistrationAnswer aspNetCoresOwn = new(AreAspNetCoresOwn);

    /// <summary>Whether <paramref name="context"/>'s user certainly satisfies <paramref name="policy"/>, as the authorization service would find.</summary>
    public bool Grants(AuthorizationPolicy policy, HttpContext context)
    {
        if (!AsksOnlyForAnAuthenticatedUser(policy) || !IsAuthenticated(context.User)
            || serviceLog.IsEnabled(LogLevel.Debug) || metrics.AuthorizationRecorded)
        {
            return false;
        }

        return aspNetCoresOwn.For(context.RequestServices);
    }

    private static bool AsksOnlyForAnAuthenticatedUser(AuthorizationPolicy policy)
    {
        // A policy without requirements never succeeds in the service (nothing is ever marked succeeded).
        if (policy.Requirements.Count == 0)
        {
            return false;
        }

        foreach (var requirement in policy.Requirements)
        {
            if (requirement.GetType() != typeof(DenyAnonymousAuthorizationRequirement))
            {
                return false;
            }
        }

        return true;
    }

    // DenyAnonymousAuthorizationRequirement's own test of the user.
    private static bool IsAuthenticated(ClaimsPrincipal? user) =>
        user?.Identity is not null && user.Identities.Any(identity => identity.IsAuthenticated);

    private static bool AreAspNetCoresOwn(IServiceProvider requestServices)
    {
        var aspNetCore = typeof(DefaultAuthorizationService).Assembly;
        return requestServices.GetService<IAuthorizationService>() is DefaultAuthorizationService service && service.GetType().Assembly == aspNetCore
            && requestServices.GetService<IAuthorizationHandlerProvider>()?.GetType() == typeof(DefaultAuthorizationHandlerProvider)
            && requestServices.GetService<IAuthorizationHandlerContextFactory>()?.GetType() == typeof(DefaultAuthorizationHandlerContextFactory)
            && requestServices.GetService<IAuthorizationEvaluator>()?.GetType() == typeof(DefaultAuthorizationEvaluator)
            && requestServices.GetServices<IAuthorizationHandler>().All(handler => HandlersThatIgnoreTheRequirement.Contains(handler.GetType()));
    }
}
