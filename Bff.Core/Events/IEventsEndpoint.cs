using Bff.Api;
namespace Bff.Events;

/// <summary>
/// <c>GET /bff/events</c> (path: <see cref="BffOptions.EventsPath"/>): the signed-in session's live
/// events as Server-Sent Events. Replace it with
/// <c>AddBff(...).AddEndpoint&lt;IEventsEndpoint, YourEndpoint&gt;()</c>; the replacement stays a BFF
/// API endpoint (session cookie plus <c>X-CSRF: 1</c>).
/// </summary>
public interface IEventsEndpoint : IBffEndpoint
{
}
