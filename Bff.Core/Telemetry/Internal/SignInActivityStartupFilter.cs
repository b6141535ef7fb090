using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Telemetry.Internal;

/// <summary>
/// Wraps the OpenID Connect callback (<c>/signin-oidc</c>, where the code is redeemed, the tokens
/// validated, the user mapped and the session written) in a <c>bff.sign_in</c> span, first in the
/// pipeline so it covers all of it. Its result is <c>succeeded</c> when the answer sets the session
/// cookie, else <c>failed</c>. With no listener it costs one check per request.
/// </summary>
internal sealed class SignInActivityStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var oidc = app.ApplicationServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>();
        var cookies = app.ApplicationServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>();
        app.Use(async (context, nextMiddleware) =>
        {
            if (!BffActivities.Source.HasListeners()
                || !context.Request.Path.Equals(oidc.Get(BffAuthenticationDefaults.OpenIdConnectScheme).CallbackPath, StringComparison.OrdinalIgnoreCase))
            {
                await nextMiddleware(context).ConfigureAwait(false);
                return;
            }

            using var activity = BffActivities.StartSignIn();
            await nextMiddleware(context).ConfigureAwait(false);
            // The session cookie's name as the cookie scheme writes it (Bff:Session:CookieName).
            var cookie = cookies.Get(BffAuthenticationDefaults.CookieScheme).Cookie.Name + "=";
            var signedIn = context.Response.Headers.SetCookie.Any(c => c is not null && c.StartsWith(cookie, StringComparison.Ordinal));
            BffActivities.SetResult(activity, signedIn ? "succeeded" : "failed");
        });
        next(app);
    };
}
