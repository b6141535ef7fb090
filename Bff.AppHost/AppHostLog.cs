namespace Bff.AppHost;

/// <summary>Log messages of the development launcher (event ids 4200-4299).</summary>
internal static partial class AppHostLog
{
    [LoggerMessage(4200, LogLevel.Warning,
        "Development: the DevIdp serves realm 'bff' at {Authority} and the app signs in against it. "
        + "Sign in as alice / alice-password (admin) or bob / bob-password (user); see README.md.")]
    public static partial void IdpStarted(ILogger logger, Uri authority);

    [LoggerMessage(4201, LogLevel.Information,
        "Development: the downstream test API runs at {Address}; /api/remote/ is proxied to it with the user's access token (try GET /api/remote/whoami from the SPA at /app).")]
    public static partial void DownstreamStarted(ILogger logger, Uri address);
}
