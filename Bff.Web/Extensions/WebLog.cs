namespace Bff.Web.Extensions;

/// <summary>Log messages of the app (event ids 2000-2099).</summary>
internal static partial class WebLog
{
    [LoggerMessage(2001, LogLevel.Warning, "The remote API call failed: {Failure} (status {StatusCode}); the session is kept.")]
    public static partial void RemoteApiFailed(ILogger logger, Api.RemoteFailure failure, int? statusCode, Exception? exception);
}
