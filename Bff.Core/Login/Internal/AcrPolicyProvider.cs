using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Bff.Login.Internal;

/// <summary>Builds the step-up policies (<c>bff:acr:&lt;value&gt;</c>) on demand; every other name goes to the default provider.</summary>
internal sealed class AcrPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public const string PolicyPrefix = "bff:acr:";

    /// <summary>
    /// A policy here is a function of its name alone (the level is in the name, and the base reads
    /// <see cref="AuthorizationOptions"/>, fixed at start-up), so the authorization middleware may keep the
    /// combined policy of each endpoint. The base class allows that only to itself, not to a derived
    /// provider, which made every request to a protected endpoint build its policy anew.
    /// </summary>
    public override bool AllowsCachingPolicies => true;

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName.StartsWith(PolicyPrefix, StringComparison.Ordinal) && policyName.Length > PolicyPrefix.Length)
        {
            return new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .AddRequirements(new AcrRequirement(policyName[PolicyPrefix.Length..]))
                .Build();
        }

        return await base.GetPolicyAsync(policyName).ConfigureAwait(false);
    }
}

/// <summary>The session's <c>acr</c> must reach <see cref="Acr"/>.</summary>
internal sealed record AcrRequirement(string Acr) : IAuthorizationRequirement;

/// <summary>Checks the <c>acr</c> claim of the session (from the ID token) or of a bearer token.</summary>
internal sealed class AcrAuthorizationHandler(IOptionsMonitor<LoginSettings> options) : AuthorizationHandler<AcrRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AcrRequirement requirement)
    {
        var acr = context.User.FindFirst("acr")?.Value;
        if (AcrComparison.Satisfies(acr, requirement.Acr, options.CurrentValue.Login.AcrLevelNames()))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
