using System.Text.Encodings.Web;
using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bff.Security.Internal;

/// <summary>
/// The API scheme: authenticates a request by its bearer token if it has one, else by the cookie
/// session provided the request carries the anti-forgery header; answers challenges and
/// forbids with JSON ProblemDetails, never with a redirect.
/// </summary>
/// <remarks>
/// Important: checking <c>X-CSRF: 1</c> here, as part of authentication, means a cross-site
/// request riding on the cookie is simply not authenticated for API endpoints. A browser only
/// sends a custom header cross-origin after a CORS preflight, which this app never grants.
/// </remarks>
internal sealed class BffApiAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IAuthenticationSchemeProvider schemes,
    IAuthenticationHandlerProvider handlers,
    IOptions<BffApiOptions> apiOptions,
    Telemetry.Internal.BffMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private bool antiforgeryHeaderMissing;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BffApiAuthenticationSelector.IsBearerRequest(Request))
        {
            // A bearer request is judged by its token alone, never by cookies it may also carry.
            if (!apiOptions.Value.AcceptBearerTokens)
            {
                metrics.BearerRejected("not_accepted");
                return AuthenticateResult.Fail("Bearer tokens are not accepted by this API.");
            }

            var bearer = await Context.AuthenticateAsync(BffApiDefaults.BearerScheme);
            if (bearer.Failure is not null)
            {
                metrics.BearerRejected("invalid_token");
            }

            return Rewrap(bearer);
        }

        var session = await BffApiSessionAuthentication.AuthenticateAsync(Context, schemes, handlers, Scheme.Name);
        if (session.AntiforgeryHeaderMissing)
        {
            antiforgeryHeaderMissing = true;
            return AuthenticateResult.Fail("The anti-forgery header is missing.");
        }

        // The API scheme's own result goes through the authentication service, and so through the
        // app's claims transformation.
        return Rewrap(session.Session);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (BffApiAuthenticationSelector.IsBearerRequest(Request))
        {
            // RFC 6750: tell a bearer client its token was not accepted.
            Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer error=\"invalid_token\"";
        }

        await BffApiProblems.WriteAsync(
            Context,
            antiforgeryHeaderMissing ? BffApiProblems.MissingAntiforgeryHeader() : BffApiProblems.Unauthorized());
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        BffApiProblems.WriteAsync(Context, BffApiProblems.Forbid());

    private AuthenticateResult Rewrap(AuthenticateResult inner)
    {
        if (inner.Succeeded)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(inner.Principal, inner.Properties, Scheme.Name));
        }

        return inner.Failure is { } failure ? AuthenticateResult.Fail(failure) : AuthenticateResult.NoResult();
    }
}
