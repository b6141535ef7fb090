using Bff.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>Adds <see cref="BffSecurityHeadersOptions"/>' headers to every answer.</summary>
internal sealed class BffSecurityHeadersMiddleware(
    RequestDelegate next, IOptions<BffSecurityHeadersOptions> options, IOptions<BffOidcOptions> oidcOptions)
{
    private readonly BffSecurityHeadersOptions _options = options.Value;

    // Computed once: the header is the same on every answer, and deriving it per request from the
    // discovery document would make every page depend on the identity provider being up.
    private readonly string _contentSecurityPolicy = FormActionSources.PolicyFor(options.Value, oidcOptions.Value);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        SetIfConfigured(headers, "X-Frame-Options", _options.FrameOptions);
        SetIfConfigured(headers, "Referrer-Policy", _options.ReferrerPolicy);

        // Cache-Control and the Content-Security-Policy are decided when the answer starts: by then
        // authentication has run and the endpoint has said what it wants (its own policy, if any,
        // as BffContentSecurityPolicy metadata). This is the one place the CSP is written.
        context.Response.OnStarting(static state =>
        {
            var (self, ctx) = ((BffSecurityHeadersMiddleware, HttpContext))state;
            var policy = ctx.GetEndpoint()?.Metadata.GetMetadata<BffContentSecurityPolicy>()?.Policy ?? self._contentSecurityPolicy;
            ctx.Response.Headers.Remove("Content-Security-Policy");
            SetIfConfigured(ctx.Response.Headers, "Content-Security-Policy", policy);
            self.ApplyCacheControl(ctx);
            return Task.CompletedTask;
        }, (this, context));
        return next(context);
    }

    private void ApplyCacheControl(HttpContext context)
    {
        var path = context.Request.Path;
        var userSpecificPath = _options.NoStorePaths.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
        var personal = _options.NoStoreWhenAuthenticated
            && context.User.Identity?.IsAuthenticated == true
            && string.IsNullOrEmpty(context.Response.Headers.CacheControl);
        if (userSpecificPath || personal)
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Pragma = "no-cache";
        }
    }

    private static void SetIfConfigured(IHeaderDictionary headers, string name, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers[name] = value;
        }
    }
}
