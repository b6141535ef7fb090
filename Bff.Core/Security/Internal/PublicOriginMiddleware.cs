using Bff.Api.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>
/// With <c>Bff:PublicOrigin</c> set, every request is seen with that scheme and host, so every absolute
/// URL the BFF sends (the OIDC <c>redirect_uri</c>, <c>post_logout_redirect_uri</c>, redirects) is built
/// from it and never from a Host header a client chose; a request for another host gets 400.
/// </summary>
/// <remarks>
/// Important: <c>/health/*</c> is exempt from the host check, because orchestrators probe by the
/// instance's own address; those answers carry no URL.
/// </remarks>
internal sealed class PublicOriginMiddleware(RequestDelegate next, IOptionsMonitor<SecuritySettings> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (options.CurrentValue.PublicOrigin is not { } origin)
        {
            await next(context);
            return;
        }

        var expected = origin.IsDefaultPort ? new HostString(origin.IdnHost) : new HostString(origin.IdnHost, origin.Port);
        var host = context.Request.Host;
        var samePort = host.Port is null ? origin.IsDefaultPort : host.Port == origin.Port;
        if (!(string.Equals(host.Host, origin.IdnHost, StringComparison.OrdinalIgnoreCase) && samePort) &&
            !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            var problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Unknown host", Detail = "This site is not served under that host name." };
            problem.Extensions["error"] = "invalid_host";
            await BffApiProblems.WriteAsync(context, problem);
            return;
        }

        context.Request.Scheme = origin.Scheme;
        context.Request.Host = expected;
        await next(context);
    }
}
