using System.Security.Claims;
using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>
/// ASP.NET Core's policy evaluator with three shortcuts for the BFF's API requests, each giving the
/// result ASP.NET Core's own would give:
/// <list type="bullet">
/// <item>a policy that names exactly one authentication scheme (every BFF API endpoint names the API
/// scheme) takes that scheme's result as it is: the base class merges the principals of all the policy's
/// schemes and builds a new ticket with new properties for the merged one, which for a single scheme is
/// the same principal and the same expiry at the cost of a ticket, its properties and a formatted date;</item>
/// <item>a cookie request to the API scheme whose session the authentication middleware has already
/// authenticated is judged here by the API scheme's own rule (<see cref="BffApiSessionAuthentication"/>),
/// without the authentication service building the scheme's handler for the request only to wrap the
/// session's ticket twice;</item>
/// <item>a policy of authenticated users only is granted to an authenticated user without the
/// authorization service (<see cref="AuthenticatedUserAuthorization"/>).</item>
/// </list>
/// </summary>
/// <remarks>
/// What the base class guarantees is kept: <see cref="HttpContext.User"/> is the scheme's principal when
/// it succeeded and an anonymous one otherwise, and a failure is reported as "no result" (the middleware
/// then challenges). Several schemes, or none, go to the base class unchanged. The API shortcut only ever
/// answers a success, and only where the service would add nothing to it: no claims transformation of
/// the app's, the API scheme neither replaced nor forwarded, its Debug log and ASP.NET Core's
/// authentication metrics off. A bearer request, a missing anti-forgery header or a session that did not
/// authenticate go to the API scheme itself, which answers and later challenges as it always did.
/// One instance serves the app; the authorization service is the request's, asked only when a shortcut
/// does not answer.
/// </remarks>
internal sealed class BffPolicyEvaluator(
    IAuthenticationSchemeProvider schemes,
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILogger<BffApiAuthenticationHandler> apiSchemeLog,
    SecurityMetricsWatch metrics,
    AuthenticatedUserAuthorization authenticatedUsers) : IPolicyEvaluator
{
    private readonly RegistrationAnswer authenticationAddsNothing = new(services => AddsNothingToResults(services.GetService<IAuthenticationService>()));

    public async Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        if (policy.AuthenticationSchemes is not [var scheme])
        {
            return await AspNetCores(context).AuthenticateAsync(policy, context).ConfigureAwait(false);
        }

        var result = (scheme == BffApiDefaults.AuthenticationScheme ? await AuthenticatedSessionAsync(context).ConfigureAwait(false) : null)
            ?? await context.AuthenticateAsync(scheme).ConfigureAwait(false);
        if (result.Succeeded)
        {
            context.User = result.Principal;
            return result;
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity());
        return AuthenticateResult.NoResult();
    }

    public async Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        if (authenticatedUsers.Grants(policy, context))
        {
            return PolicyAuthorizationResult.Success();
        }

        return await AspNetCores(context).AuthorizeAsync(policy, authenticationResult, context, resource).ConfigureAwait(false);
    }

    private static PolicyEvaluator AspNetCores(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<IAuthorizationService>());

    /// <summary>
    /// The API scheme's success for a cookie request whose session already authenticated, or
    /// <see langword="null"/> when the API scheme is to judge the request itself.
    /// </summary>
    private async ValueTask<AuthenticateResult?> AuthenticatedSessionAsync(HttpContext context)
    {
        // A session that did not authenticate in the authentication middleware is left to the API
        // scheme, so its handler is asked once and remembers what its challenge is to say.
        if (context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is not { Succeeded: true }
            || BffApiAuthenticationSelector.IsBearerRequest(context.Request)
            || apiSchemeLog.IsEnabled(LogLevel.Debug)
            || metrics.AuthenticationRecorded
            || !authenticationAddsNothing.For(context.RequestServices))
        {
            return null;
        }

        var api = await schemes.GetSchemeAsync(BffApiDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (api?.HandlerType != typeof(BffApiAuthenticationHandler)
            || schemeOptions.Get(api.Name) is { ForwardDefault: not null } or { ForwardAuthenticate: not null } or { ForwardDefaultSelector: not null })
        {
            return null;
        }

        var handlers = context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        var session = await BffApiSessionAuthentication.AuthenticateAsync(context, schemes, handlers, api.Name).ConfigureAwait(false);
        return session.Succeeded
            ? AuthenticateResult.Success(new AuthenticationTicket(session.Session.Principal!, session.Session.Properties, api.Name))
            : null;
    }

    // ASP.NET Core's own authentication service, whose only addition to a handler's success is the
    // claims transformation, here the one that changes nothing.
    private static bool AddsNothingToResults(IAuthenticationService? service) =>
        service is AuthenticationService { Transform: var transform }
        && service.GetType().Assembly == typeof(AuthenticationService).Assembly
        && transform.GetType() == typeof(NoopClaimsTransformation);
}
