using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Bff.Api.Internal;

/// <summary>
/// ASP.NET Core's policy evaluator, but a policy that names exactly one authentication scheme (every
/// BFF API endpoint names the API scheme) takes that scheme's result as it is: the base class merges
/// the principals of all the policy's schemes and builds a new ticket with new properties for the
/// merged one, which for a single scheme is the same principal and the same expiry at the cost of a
/// ticket, its properties and a formatted date on every request.
/// </summary>
/// <remarks>
/// What the base class guarantees is kept: <see cref="HttpContext.User"/> is the scheme's principal when
/// it succeeded and an anonymous one otherwise, and a failure is reported as "no result" (the middleware
/// then challenges). Several schemes, or none, go to the base class unchanged.
/// </remarks>
internal sealed class BffPolicyEvaluator(IAuthorizationService authorization) : PolicyEvaluator(authorization)
{
    public override async Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        if (policy.AuthenticationSchemes is not [var scheme])
        {
            return await base.AuthenticateAsync(policy, context).ConfigureAwait(false);
        }

        var result = await context.AuthenticateAsync(scheme).ConfigureAwait(false);
        if (result.Succeeded)
        {
            context.User = result.Principal;
            return result;
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity());
        return AuthenticateResult.NoResult();
    }
}
