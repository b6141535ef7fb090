using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>Configures the BFF's session cookie.</summary>
internal sealed class ConfigureCookieOptions(IOptionsMonitor<SessionSettings> bffOptions) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name != BffAuthenticationDefaults.CookieScheme)
        {
            return;
        }

        var bff = bffOptions.CurrentValue;
        options.Cookie.Name = bff.Session.CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        // Important: Lax, not Strict. Strict cookies are withheld from the top-level navigation that
        // returns from an identity provider on another site, so the app challenges again and loops
        // (measured in Chromium). CSRF protection comes from X-CSRF and antiforgery tokens instead.
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.Path = "/";
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = bff.Session.IdleTimeout;
        options.SlidingExpiration = true;
        options.LoginPath = bff.LoginPath;
        options.ReturnUrlParameter = "returnUrl";
        options.AccessDeniedPath = bff.AccessDeniedPath;
        options.Events.OnRedirectToLogin = context => RedirectOrStatusAsync(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectOrStatusAsync(context, StatusCodes.Status403Forbidden);
    }

    // API callers get a JSON status, never a 302 to an HTML login page they cannot follow.
    private Task RedirectOrStatusAsync(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (!BffApiRequest.IsApiRequest(context.HttpContext, bffOptions.CurrentValue.EffectiveApiPathPrefixes))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        var result = status == StatusCodes.Status401Unauthorized
            ? TypedResults.Problem(statusCode: status, title: "Unauthorized", detail: $"Sign in at {bffOptions.CurrentValue.LoginPath}.")
            : TypedResults.Problem(statusCode: status, title: "Forbidden", detail: "The signed-in user may not do this.");
        return result.ExecuteAsync(context.HttpContext);
    }
}
