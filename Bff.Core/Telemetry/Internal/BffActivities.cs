using System.Diagnostics;

namespace Bff.Telemetry.Internal;

/// <summary>
/// The spans of the <c>Bff</c> activity source: <c>bff.sign_in</c> (the OpenID Connect callback),
/// <c>bff.token_refresh</c> (one redemption of a refresh token) and <c>bff.proxy</c> (one call forwarded
/// to a remote API). With no listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns <see langword="null"/> at once, and every helper here accepts that.
/// </summary>
/// <remarks>
/// Important: tags are the result words and the remote API's configured path prefix only: never a
/// token, a cookie, a session key, a user name or a secret.
/// </remarks>
internal static class BffActivities
{
    public static readonly ActivitySource Source = new(BffTelemetry.ActivitySourceName);

    public static Activity? StartSignIn() => Source.StartActivity("bff.sign_in", ActivityKind.Internal);

    public static Activity? StartRefresh() => Source.StartActivity("bff.token_refresh", ActivityKind.Internal);

    public static Activity? StartProxy(string route)
    {
        var activity = Source.StartActivity("bff.proxy", ActivityKind.Internal);
        activity?.SetTag(BffTags.Route, route);
        return activity;
    }

    public static void SetResult(Activity? activity, string result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(BffTags.Result, result);
        if (result is not "succeeded")
        {
            activity.SetStatus(ActivityStatusCode.Error, result);
        }
    }
}
