using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Login.Internal;

/// <summary><c>GET /bff/login?returnUrl=/local/path</c>: starts an OpenID Connect login.</summary>
internal static class LoginEndpoint
{
    /// <summary>Maps <c>GET</c> <paramref name="pattern"/> to the <see cref="ILoginEndpoint"/> from DI.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet(pattern, BffEndpointHandlers.For<ILoginEndpoint>())
            .AllowAnonymous()
            .RequireRateLimiting(LoginRateLimit.PolicyName)
            .WithName("BffLogin")
            .ExcludeFromDescription();

    internal static async Task<IResult> HandleAsync(
        HttpContext httpContext,
        IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
        IOptionsMonitor<LoginSettings> bffOptions,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(LoginEndpoint).FullName!);
        httpContext.Response.Headers.CacheControl = "no-store";
        var values = httpContext.Request.Query["returnUrl"];
        if (values.Count > 1 || !LoginReturnUrl.TryGetLocal(values.ToString(), out var returnUrl))
        {
            logger.ReturnUrlRefused();
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid returnUrl",
                detail: "returnUrl must be one local path on this site, such as /profile.");
        }

        if (!AuthorizeParameters.TryRead(httpContext.Request.Query, bffOptions.CurrentValue.Login.AllowedParameterNames(), out var parameters, out var refusal))
        {
            logger.LoginParameterRefused(refusal!);
            return LoginRefusal.Create(httpContext, "This sign-in link is not valid", refusal!);
        }

        var properties = new AuthenticationProperties { RedirectUri = returnUrl };
        AuthorizeParameters.AddTo(properties, parameters);
        StepUpLogin.Mark(properties, parameters);
        if (AuthorizeParameters.IsSilent(parameters))
        {
            // Signed out here on purpose: a silent sign-in would undo the logout (see SilentLogin).
            if (SilentLogin.IsSuppressed(httpContext))
            {
                return TypedResults.Redirect(SilentLogin.WithResult(returnUrl, SilentLogin.LoginRequired));
            }

            SilentLogin.Mark(properties);
        }

        return await ChallengeAsync(httpContext, properties, oidcOptions, bffOptions.CurrentValue, logger).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the OpenID Connect login with <paramref name="properties"/> (its return URL already checked), or
    /// answers with the error page when the provider cannot be reached. Account actions start their logins here too.
    /// </summary>
    internal static async Task<IResult> ChallengeAsync(
        HttpContext httpContext, AuthenticationProperties properties, IOptionsMonitor<OpenIdConnectOptions> oidcOptions, LoginSettings bff, ILogger logger)
    {
        // Load discovery before challenging, so that an unreachable or misconfigured provider gives
        // a page naming the setting instead of a 500 from inside the handler. The configuration
        // manager caches the document: this costs nothing on later logins.
        var oidc = oidcOptions.Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        try
        {
            if (oidc.ConfigurationManager is { } manager)
            {
                await manager.GetConfigurationAsync(httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or OpenIdConnectProtocolException)
        {
            logger.DiscoveryFailed(oidc.MetadataAddress, ex);
            return TypedResults.Redirect($"{bff.ErrorPath}?error={LoginErrors.IdpUnavailable}");
        }

        // Important: the challenge runs here, not as a returned result, because it may call the
        // identity provider: when discovery advertises pushed authorization requests (Keycloak does),
        // the handler pushes the request over the back channel first. A refused push (a redirect URI
        // the client does not register) or an unreachable provider must be a page, not a 500.
        // Each unfinished login leaves a correlation and a nonce cookie; keep only the newest few, so
        // that a page starting logins in a loop cannot make this browser's callback too big to accept.
        PendingLoginStates.KeepNewest(httpContext, oidc, bff.Login.MaxPendingLogins - 1);

        try
        {
            await httpContext.ChallengeAsync(
                BffAuthenticationDefaults.OpenIdConnectScheme,
                properties).ConfigureAwait(false);
            return TypedResults.Empty;
        }
        catch (Exception ex) when (ex is OpenIdConnectProtocolException or HttpRequestException or IOException
            || (ex is TaskCanceledException && !httpContext.RequestAborted.IsCancellationRequested))
        {
            var code = ex is OpenIdConnectProtocolException ? LoginErrors.LoginFailed : LoginErrors.IdpUnavailable;
            logger.PushedAuthorizationFailed(code, ex);
            return TypedResults.Redirect($"{bff.ErrorPath}?error={code}");
        }
    }
}
