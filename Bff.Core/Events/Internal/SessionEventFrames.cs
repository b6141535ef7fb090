using System.Text.Json;
using System.Text.Json.Serialization;
using Bff.Sessions;
using Bff.Sessions.Internal;

namespace Bff.Events.Internal;

/// <summary>
/// The frames of <c>/bff/events</c> (Server-Sent Events, docs/spa-and-api.md): <c>session</c> (the
/// current expiry, at the start and whenever it moves after a warning), <c>expiring</c> (the warning),
/// <c>ended</c> (with the reason; the last frame), and comment lines as heartbeats.
/// </summary>
internal static class SessionEventFrames
{
    /// <summary>How long the browser waits before reconnecting, in milliseconds (the SSE <c>retry</c> field).</summary>
    public const string Retry = "retry: 5000\n\n";

    public const string Heartbeat = ": heartbeat\n\n";

    public static string Session(DateTimeOffset expiresAt, bool idle, DateTimeOffset now) =>
        Frame("session", new SessionFrame(expiresAt, idle ? "idle" : "absolute", SecondsLeft(expiresAt, now)));

    public static string Expiring(DateTimeOffset expiresAt, bool idle, DateTimeOffset now) =>
        Frame("expiring", new SessionFrame(expiresAt, idle ? "idle" : "absolute", SecondsLeft(expiresAt, now)));

    public static string Ended(SessionEndReason reason) => Frame("ended", new EndedFrame(reason.ToWireName()));

    private static int SecondsLeft(DateTimeOffset expiresAt, DateTimeOffset now) => Math.Max(0, (int)Math.Ceiling((expiresAt - now).TotalSeconds));

    private static string Frame<T>(string name, T data) =>
        "event: " + name + "\ndata: " + JsonSerializer.Serialize(data, SessionEventJson.Default.Options) + "\n\n";

    internal sealed record SessionFrame(
        [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt,
        [property: JsonPropertyName("expiry")] string Expiry,
        [property: JsonPropertyName("secondsLeft")] int SecondsLeft);

    internal sealed record EndedFrame([property: JsonPropertyName("reason")] string Reason);
}

[JsonSerializable(typeof(SessionEventFrames.SessionFrame))]
[JsonSerializable(typeof(SessionEventFrames.EndedFrame))]
internal sealed partial class SessionEventJson : JsonSerializerContext;
