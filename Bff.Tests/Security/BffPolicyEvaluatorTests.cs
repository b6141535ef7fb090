using System.Security.Claims;
using Bff.Security.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Security;

/// <summary>
/// The policy evaluator takes a single scheme's result as it is and otherwise behaves as ASP.NET Core's:
/// the user is the scheme's principal or an anonymous one, a failure is "no result", several schemes merge.
/// </summary>
public sealed class BffPolicyEvaluatorTests
{
    private static readonly AuthorizationPolicy Authenticated = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

    private static AuthorizationPolicy PolicyOf(params string[] schemes) =>
        new AuthorizationPolicyBuilder(schemes).RequireAuthenticatedUser().Build();

    private static ClaimsPrincipal User(string name, string scheme) =>
        new(new ClaimsIdentity([new Claim("sub", name)], scheme));

    private static ServiceProvider Services(IReadOnlyDictionary<string, AuthenticateResult> results) =>
        new ServiceCollection().AddLogging().AddBffApiAuthentication()
            .AddSingleton<IAuthenticationService>(new FixedAuthentication(results))
            .BuildServiceProvider();

    private static DefaultHttpContext Context(IReadOnlyDictionary<string, AuthenticateResult> results, ClaimsPrincipal? user = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services(results) };
        if (user is not null)
        {
            context.User = user;
        }

        return context;
    }

    private static IPolicyEvaluator Evaluator(HttpContext context) => context.RequestServices.GetRequiredService<IPolicyEvaluator>();

    [Fact]
    public async Task One_scheme_that_succeeds_sets_its_principal_and_keeps_its_expiry()
    {
        var principal = User("alice", "BffApi");
        var properties = new AuthenticationProperties { ExpiresUtc = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero) };
        var success = AuthenticateResult.Success(new AuthenticationTicket(principal, properties, "BffApi"));
        var context = Context(new Dictionary<string, AuthenticateResult> { ["BffApi"] = success });

        var result = await Evaluator(context).AuthenticateAsync(PolicyOf("BffApi"), context);

        Assert.True(result.Succeeded);
        Assert.Same(principal, context.User);
        Assert.Same(principal, result.Principal);
        Assert.Equal(properties.ExpiresUtc, result.Properties!.ExpiresUtc);
        Assert.Equal("BffApi", result.Ticket!.AuthenticationScheme);
        Assert.True((await Evaluator(context).AuthorizeAsync(Authenticated, result, context, null)).Succeeded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task One_scheme_that_fails_or_has_no_result_leaves_an_anonymous_user_and_a_challenge(bool fails)
    {
        var context = Context(
            new Dictionary<string, AuthenticateResult> { ["BffApi"] = fails ? AuthenticateResult.Fail("The anti-forgery header is missing.") : AuthenticateResult.NoResult() },
            user: User("left-over", "Cookies"));

        var result = await Evaluator(context).AuthenticateAsync(PolicyOf("BffApi"), context);

        Assert.False(result.Succeeded);
        Assert.True(result.None);
        Assert.False(context.User.Identity!.IsAuthenticated);
        Assert.Empty(context.User.Claims);
        Assert.True((await Evaluator(context).AuthorizeAsync(Authenticated, result, context, null)).Challenged);
    }

    [Fact]
    public async Task Several_schemes_are_merged_as_ASP_NET_Core_merges_them()
    {
        var context = Context(new Dictionary<string, AuthenticateResult>
        {
            ["A"] = AuthenticateResult.Success(new AuthenticationTicket(User("alice", "A"), "A")),
            ["B"] = AuthenticateResult.Success(new AuthenticationTicket(User("bob", "B"), "B")),
        });

        var result = await Evaluator(context).AuthenticateAsync(PolicyOf("A", "B"), context);

        Assert.True(result.Succeeded);
        Assert.Equal("A;B", result.Ticket!.AuthenticationScheme);
        Assert.Equal(["alice", "bob"], context.User.FindAll("sub").Select(c => c.Value).Order());
    }

    [Fact]
    public async Task A_policy_of_authenticated_users_grants_an_authenticated_user_and_challenges_an_anonymous_one()
    {
        var signedIn = Context(new Dictionary<string, AuthenticateResult>(), user: User("alice", "BffApi"));
        Assert.True((await Evaluator(signedIn).AuthorizeAsync(Authenticated, AuthenticateResult.NoResult(), signedIn, null)).Succeeded);

        // An identity without an authentication type is anonymous, as ASP.NET Core's requirement finds.
        var anonymous = Context(new Dictionary<string, AuthenticateResult>(), user: new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")])));
        var refused = await Evaluator(anonymous).AuthorizeAsync(Authenticated, AuthenticateResult.NoResult(), anonymous, null);
        Assert.False(refused.Succeeded);
        Assert.True(refused.Challenged);
    }

    [Fact]
    public async Task A_policy_with_a_role_still_forbids_an_authenticated_user_without_it()
    {
        var context = Context(new Dictionary<string, AuthenticateResult>(), user: User("alice", "BffApi"));
        var admins = new AuthorizationPolicyBuilder("BffApi").RequireAuthenticatedUser().RequireRole("admin").Build();
        var success = AuthenticateResult.Success(new AuthenticationTicket(context.User, "BffApi"));

        var result = await Evaluator(context).AuthorizeAsync(admins, success, context, null);

        Assert.True(result.Forbidden);
        Assert.Contains(result.AuthorizationFailure!.FailedRequirements, r => r is RolesAuthorizationRequirement);
    }

    [Fact]
    public async Task An_authorization_handler_of_the_apps_still_judges_a_policy_of_authenticated_users()
    {
        var services = new ServiceCollection().AddLogging().AddBffApiAuthentication()
            .AddSingleton<IAuthorizationHandler, RefuseEveryone>()
            .BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services, User = User("alice", "BffApi") };
        var success = AuthenticateResult.Success(new AuthenticationTicket(context.User, "BffApi"));

        var result = await Evaluator(context).AuthorizeAsync(Authenticated, success, context, null);

        Assert.True(result.Forbidden);
    }

    private sealed class RefuseEveryone : IAuthorizationHandler
    {
        public Task HandleAsync(AuthorizationHandlerContext context)
        {
            context.Fail();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void The_BFF_registers_it_unless_the_app_has_its_own()
    {
        using var defaults = new ServiceCollection().AddLogging().AddBffApiAuthentication().BuildServiceProvider();
        Assert.IsType<BffPolicyEvaluator>(defaults.GetRequiredService<IPolicyEvaluator>());

        using var own = new ServiceCollection().AddLogging().AddTransient<IPolicyEvaluator, OwnEvaluator>().AddBffApiAuthentication().BuildServiceProvider();
        Assert.IsType<OwnEvaluator>(own.GetRequiredService<IPolicyEvaluator>());
    }

    private sealed class OwnEvaluator(IAuthorizationService authorization) : PolicyEvaluator(authorization);

    private sealed class FixedAuthentication(IReadOnlyDictionary<string, AuthenticateResult> results) : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) =>
            Task.FromResult(results.TryGetValue(scheme ?? "", out var result) ? result : AuthenticateResult.NoResult());

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
    }
}
