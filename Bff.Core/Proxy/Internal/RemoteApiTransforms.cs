using Bff.Api.Internal;
using Bff.Tokens;
using Bff.Tokens.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Bff.Proxy.Internal;

/// <summary>The transforms of a remote API route.</summary>
internal static class RemoteApiTransforms
{
    public static void Apply(TransformBuilderContext transforms, PathString prefix, BffRemoteApiOptions api)
    {
        // First: without the right token nothing is forwarded. Writing the problem response sets a
        // status other than 200, which makes YARP stop and send that response instead.
        transforms.AddRequestTransform(context => AttachTokenAsync(context, api));

        // Important: browser credentials never leave the BFF. The session cookie (and any other
        // cookie of this origin) and the anti-forgery header are for the BFF alone.
        transforms.AddRequestHeaderRemove(HeaderNames.Cookie);
        transforms.AddRequestHeaderRemove(BffApiDefaults.AntiforgeryHeaderName);
        transforms.AddRequestHeaderRemove(HeaderNames.ProxyAuthorization);
        transforms.AddPathRemovePrefix(prefix);

        // A downstream API must not set cookies on the BFF's origin.
        transforms.AddResponseHeaderRemove(HeaderNames.SetCookie, ResponseCondition.Always);
    }

    private static async ValueTask AttachTokenAsync(RequestTransformContext context, BffRemoteApiOptions api)
    {
        var http = context.HttpContext;

        // A caller's own Authorization header never passes through as such: the route decides what
        // the downstream API gets (a bearer caller's token reaches it only as "the user's token").
        context.ProxyRequest.Headers.Remove(HeaderNames.Authorization);

        if (api.Token != RemoteApiTokenType.User && !await AdmitAsync(http))
        {
            return;
        }

        var issued = api.Token switch
        {
            RemoteApiTokenType.None => null,
            RemoteApiTokenType.Client => IssuedAccessToken.Of(await ClientTokenAsync(http)),
            RemoteApiTokenType.UserOrClient when !await IsSignedInAsync(http) => IssuedAccessToken.Of(await ClientTokenAsync(http)),
            _ => await UserTokenAsync(http, api.ExchangeAudience),
        };
        if (issued is null)
        {
            return;
        }

        if (issued.AuthorizationHeader is not { } authorization)
        {
            await TokenProblems.WriteTokenFailureAsync(http, issued.Result);
            return;
        }

        context.ProxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Authorization, authorization);
    }

    /// <summary>
    /// The rules every route keeps, signed in or not, where RequireBffApi does not run: a call that is
    /// not a bearer call must carry <c>X-CSRF: 1</c> (a browser sends a custom header cross-origin only
    /// after a CORS preflight, which the BFF never grants, so other sites cannot use the route through
    /// a visitor's browser); a bearer token that does not validate is refused, not ignored.
    /// </summary>
    private static async Task<bool> AdmitAsync(HttpContext http)
    {
        if (!BffApiAuthenticationSelector.IsBearerRequest(http.Request))
        {
            if (!BffApiRequest.HasAntiforgeryHeader(http.Request))
            {
                await BffApiProblems.WriteAsync(http, BffApiProblems.MissingAntiforgeryHeader());
                return false;
            }

            return true;
        }

        if (!await IsSignedInAsync(http))
        {
            http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer error=\"invalid_token\"";
            await BffApiProblems.WriteAsync(http, BffApiProblems.Unauthorized());
            return false;
        }

        return true;
    }

    // The API scheme: a valid bearer token, or the cookie session of a call with X-CSRF.
    private static async Task<bool> IsSignedInAsync(HttpContext http) =>
        (await http.AuthenticateAsync(BffApiDefaults.AuthenticationScheme)).Succeeded;

    private static Task<UserTokenResult> ClientTokenAsync(HttpContext http) =>
        http.RequestServices.GetRequiredService<IClientTokenManager>().GetAccessTokenAsync(http.RequestAborted);

    private static async ValueTask<IssuedAccessToken> UserTokenAsync(HttpContext http, string? exchangeAudience)
    {
        if (exchangeAudience is { Length: > 0 } audience)
        {
            return IssuedAccessToken.Of(await http.RequestServices.GetRequiredService<ITokenExchangeManager>().GetAccessTokenAsync(http, audience, http.RequestAborted));
        }

        // The BFF's own manager hands out the session's cached token with its header value, built once
        // per token rather than once per call; a manager an app registered instead is asked as such.
        var manager = http.RequestServices.GetRequiredService<IUserTokenManager>();
        return manager is DefaultUserTokenManager own
            ? await own.GetIssuedAsync(http, forceRefresh: false, http.RequestAborted)
            : IssuedAccessToken.Of(await manager.GetAccessTokenAsync(http, cancellationToken: http.RequestAborted));
    }
}
