using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Bff.Login.Internal;

/// <summary>Builds the step-up policies (<c>bff:acr:&lt;value&gt;</c>) on demand; every other name goes to the default provider.</summary>
internal sealed class AcrPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public const string PolicyPrefix = "bff:acr:";

    // The base class allows caching only for its own exact type. A policy built here depends on its
    // name alone, so the authorization middleware may combine an endpoint's policy once and keep it,
    // instead of rebuilding it (and its requirement sets) on every request.
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
