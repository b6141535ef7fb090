using Bff.Login.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bff.Tests.Login;

/// <summary>
/// The step-up policy provider lets the authorization middleware keep each endpoint's combined policy,
/// which is only right while a policy name always gives the same requirements.
/// </summary>
public sealed class AcrPolicyProviderTests
{
    private static AcrPolicyProvider Provider(Action<AuthorizationOptions>? configure = null)
    {
        var options = new AuthorizationOptions();
        configure?.Invoke(options);
        return new AcrPolicyProvider(Options.Create(options));
    }

    [Fact]
    public void Policies_may_be_cached_by_the_authorization_middleware() =>
        Assert.True(((IAuthorizationPolicyProvider)Provider()).AllowsCachingPolicies);

    [Fact]
    public async Task A_step_up_policy_is_a_function_of_its_name()
    {
        var provider = Provider();

        var first = await provider.GetPolicyAsync(AcrPolicyProvider.PolicyPrefix + "2");
        var second = await provider.GetPolicyAsync(AcrPolicyProvider.PolicyPrefix + "2");
        var other = await provider.GetPolicyAsync(AcrPolicyProvider.PolicyPrefix + "gold");

        Assert.Equal("2", Assert.Single(first!.Requirements.OfType<AcrRequirement>()).Acr);
        Assert.Equal(first.Requirements.OfType<AcrRequirement>(), second!.Requirements.OfType<AcrRequirement>());
        Assert.Contains(first.Requirements, r => r is DenyAnonymousAuthorizationRequirement);
        Assert.Equal("gold", Assert.Single(other!.Requirements.OfType<AcrRequirement>()).Acr);
    }

    [Fact]
    public async Task Other_names_are_the_registered_policies()
    {
        var admin = new AuthorizationPolicyBuilder().RequireRole("admin").Build();
        var provider = Provider(options => options.AddPolicy("admin", admin));

        Assert.Same(admin, await provider.GetPolicyAsync("admin"));
        Assert.Null(await provider.GetPolicyAsync("missing"));
        Assert.Null(await provider.GetPolicyAsync(AcrPolicyProvider.PolicyPrefix));
    }
}
