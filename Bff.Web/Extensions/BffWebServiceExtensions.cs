using Bff.Web.Api;
using Microsoft.AspNetCore.Http;

namespace Bff.Web.Extensions;

/// <summary>The app's service registration.</summary>
internal static class BffWebServiceExtensions
{
    public static WebApplicationBuilder AddBffWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddBff(builder.Configuration);
        builder.Services.AddBffHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddRazorPages();
        builder.Services.AddNotesApi();
        builder.Services.AddAntiforgery(options =>
        {
            // Secure on every request, without antiforgery's https-only check (see the builder).
            options.Cookie = new AlwaysSecureCookieBuilder
            {
                Name = "__Host-bff.af",
                SameSite = SameSiteMode.Strict,
                HttpOnly = true,
                Path = "/",
                IsEssential = true,
            };
        });
        return builder;
    }
}
