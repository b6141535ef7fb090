using Bff.Web.Api;
using Microsoft.AspNetCore.Http;

namespace Bff.Web.Extensions;

/// <summary>The app's service registration.</summary>
internal static class BffWebServiceExtensions
{
    public static WebApplicationBuilder AddBffWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddBff(builder.Configuration);
        builder.Services.AddBffHealthChecks(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddRazorPages();
        builder.Services.AddNotesApi();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "__Host-bff.af";
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }
}
