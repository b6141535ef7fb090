using Bff.Web.Api;

namespace Bff.Web.Extensions;

/// <summary>The app's request pipeline.</summary>
internal static class BffWebPipelineExtensions
{
    public static WebApplication UseBffWeb(this WebApplication app)
    {
        // Bff:PublicOrigin: URLs from the configured origin, other hosts 400.
        app.UseBffPublicOrigin();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        // nosniff, CSP without inline script, frame protection, Referrer-Policy, no-store on personal answers.
        app.UseBffSecurityHeaders();

        // A bug is a 500 ProblemDetails or the error page in every environment, never the developer
        // exception page (it echoes the request's cookies).
        app.UseBffExceptionAnswers();
        app.UseStaticFiles();
        app.UseRouting();

        // Redis or the database down: 503 (JSON or a page) instead of a 500, session kept.
        app.UseBffStorageOutageAnswers();

        // The rate limit of /bff/login (Bff:Login:RateLimit).
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapBffEndpoints();
        app.MapNotesApi();
        app.MapSecurityApi();
        app.MapSpa();
        app.MapBffHealthEndpoints();
        app.MapBffPrometheus();
        return app;
    }
}
