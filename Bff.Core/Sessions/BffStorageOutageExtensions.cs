using Bff.Sessions.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Pipeline entry of the BFF's answer to store outages.</summary>
public static class BffStorageOutageExtensions
{
    /// <summary>
    /// Answers requests that fail because Redis or the database cannot be reached with 503
    /// (ProblemDetails on API paths, a readable page otherwise) instead of a 500. Call it after
    /// <c>UseRouting</c> and before <c>UseAuthentication</c>: reading the session is what fails first.
    /// </summary>
    /// <param name="app">The application.</param>
    public static IApplicationBuilder UseBffStorageOutageAnswers(this IApplicationBuilder app) =>
        app.UseMiddleware<StorageOutageMiddleware>();
}
