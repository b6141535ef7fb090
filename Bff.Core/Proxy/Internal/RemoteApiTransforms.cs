using Bff.Api;
using Bff.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Bff.Proxy.Internal;

/// <summary>The transforms of a remote API route.</summary>
internal static class RemoteApiTransforms
{
    public static void Apply(TransformBuilderContext transforms, PathString prefix)
    {
        // First: without a token nothing is forwarded. Writing the problem response sets a status
        // other than 200, which makes YARP stop and send that response instead.
        transforms.AddRequestTransform(AttachAccessTokenAsync);

        // Important: browser credentials never leave the BFF. The session cookie (and any other
        // cookie of this origin) and the anti-forgery header are for the BFF alone.
        transforms.AddRequestHeaderRemove(HeaderNames.Cookie);
        transforms.AddRequestHeaderRemove(BffApiDefaults.AntiforgeryHeaderName);
        transforms.AddRequestHeaderRemove(HeaderNames.ProxyAuthorization);
        transforms.AddPathRemovePrefix(prefix);

        // A downstream API must not set cookies on the BFF's origin.
        transforms.AddResponseHeaderRemove(HeaderNames.SetCookie, ResponseCondition.Always);
    }

    private static async ValueTask AttachAccessTokenAsync(RequestTransformContext context)
    {
        var http = context.HttpContext;
        var tokens = http.RequestServices.GetRequiredService<IUserTokenManager>();
        var result = await tokens.GetAccessTokenAsync(http, cancellationToken: http.RequestAborted);
        if (!result.Succeeded)
        {
            await BffApiProblems.WriteTokenFailureAsync(http, result);
            return;
        }

        context.ProxyRequest.Headers.Remove(HeaderNames.Authorization);
        context.ProxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Authorization, $"{result.TokenType} {result.AccessToken}");
    }
}
