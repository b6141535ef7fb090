using Bff.Api;
namespace Bff.Sessions;

/// <summary>
/// The signed-in user's own sessions under <c>/bff/sessions</c> (path: <see cref="BffOptions.SessionsPath"/>):
/// <c>GET /</c> lists them, <c>DELETE /{id}</c> ends one, <c>POST /end-others</c> ends all but the
/// calling one. One handler answers the three routes (the route value <c>id</c> names the session).
/// Replace it with <c>AddBff(...).AddEndpoint&lt;ISessionsEndpoint, YourEndpoint&gt;()</c>.
/// </summary>
public interface ISessionsEndpoint : IBffEndpoint
{
}
