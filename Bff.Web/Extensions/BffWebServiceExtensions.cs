using Bff.Web.Api;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace Bff.Web.Extensions;

/// <summary>The app's service registration.</summary>
internal static class BffWebServiceExtensions
{
    public static WebApplicationBuilder AddBffWeb(this WebApplicationBuilder builder)
    {
        // The BFF keeps this app's Data Protection keys (DataProtection:*), shared by its instances.
        builder.Services.AddBff(builder.Configuration).AddDataProtection();
        // The Users page is for administrators: the app's policy, over the roles the BFF maps.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(WebPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole("admin"));
        builder.Services.AddBffHealthChecks(builder.Configuration);
        builder.Services.AddProblemDetails();
        // Important: this app serves Razor Pages and minimal APIs, and has no MVC controllers. MVC's
        // controller discovery loads every type of the app's assembly when the first endpoints are
        // built, which loads EF Core (the PostgreSQL notes and their migrations derive from its
        // types) on LiteDB too, and costs the start-up a scan of every type. A controller added here
        // would not be found (Bff.Tests/Web/NoControllersTests keeps the app without one).
        builder.Services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            foreach (var controllers in parts.FeatureProviders.OfType<ControllerFeatureProvider>().ToList())
            {
                parts.FeatureProviders.Remove(controllers);
            }
        });
        // Pages call the proxy's remote API server-side with the user's token (the Remote page).
        RemoteApiClient.Register(builder.Services);
        builder.Services.AddAntiforgery(options =>
        {
            // Note: the antiforgery system refuses to issue a Secure-only cookie on a plain-http
            // request (even on loopback, where browsers would accept it), so this one is Secure
            // exactly when the request is https, and therefore cannot carry the __Host- prefix.
            // It protects nothing alone: it only pairs with the token in the form.
            options.Cookie.Name = "bff.af";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    /// <summary>
    /// Bff:Storage:Users: local users (and the notes beside them) in LiteDB or PostgreSQL. Registered
    /// from the configuration as complete as it gets (just before Build), because the choice decides
    /// what is registered: on LiteDB, nothing of EF Core or Npgsql, which the app then never loads.
    /// </summary>
    public static WebApplicationBuilder AddBffWebStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddBffUserStorage(builder.Configuration);
        builder.Services.AddNotesApi(builder.Configuration);
        return builder;
    }
}
