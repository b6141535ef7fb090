using Bff.Api.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Bff.Login.Internal;

/// <summary>
/// Answers a signed-in request that failed only for its authentication level: the API gets 401
/// ProblemDetails naming the level (<c>bff:required_acr</c>, and RFC 9470's
/// <c>WWW-Authenticate: Bearer error="insufficient_user_authentication"</c>), a page a redirect to the
/// step-up login. Everything else goes to ASP.NET Core's own handler.
/// </summary>
internal sealed class StepUpResultHandler(IOptionsMonitor<LoginSettings> options) : IAuthorizationMiddlewareResultHandler
{
    /// <summary>The ProblemDetails extension naming the level the session must reach.</summary>
    public const string RequiredAcrExtension = "bff:required_acr";

    /// <summary>The ProblemDetails extension with the login URL that steps up and comes back.</summary>
    public const string LoginUrlExtension = "bff:login_url";

    /// <summary>The <c>error</c> extension of that answer.</summary>
    public const string StepUpRequired = "step_up_required";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList();
        if (!authorizeResult.Forbidden || failed is not { Count: > 0 } || !failed.All(r => r is AcrRequirement)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        var required = string.Join(' ', failed.OfType<AcrRequirement>().Select(r => r.Acr).Distinct(StringComparer.Ordinal));
        var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        var loginUrl = QueryHelpers.AddQueryString(options.CurrentValue.LoginPath, new Dictionary<string, string?>
        {
            [AuthorizeParameters.AcrValues] = required,
            ["returnUrl"] = returnUrl,
        });

        if (BffApiRequest.IsApiRequest(context, options.CurrentValue.EffectiveApiPathPrefixes))
        {
            var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Step-up authentication required",
                Detail = $"This needs a stronger sign-in (level {required}). Sign in again at the login URL, then retry.",
            };
            problem.Extensions["error"] = StepUpRequired;
            problem.Extensions[RequiredAcrExtension] = required;
            problem.Extensions[LoginUrlExtension] = loginUrl;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer error=\"insufficient_user_authentication\", error_description=\"A stronger authentication is required\", acr_values=\"{required}\"";
            await BffApiProblems.WriteAsync(context, problem).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(loginUrl);
    }
}
