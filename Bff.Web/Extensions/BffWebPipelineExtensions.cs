using Bff.Web.Api;

namespace Bff.Web.Extensions;

/// <summary>The app's request pipeline.</summary>
internal static class BffWebPipelineExtensions
{
    public static WebApplication UseBffWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        app.Use(static (context, next) =>
        {
            // Pages are never framed and never leak their URL (which may carry a returnUrl) to other sites.
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapBffEndpoints();
        app.MapNotesApi();
        app.MapSpa();
        app.MapBffHealthEndpoints();
        return app;
    }
}
