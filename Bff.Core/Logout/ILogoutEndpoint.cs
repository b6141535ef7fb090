using Bff.Api;
namespace Bff.Logout;

/// <summary>
/// <c>GET ?sid=...</c> and <c>POST</c> <c>/bff/logout</c> (path: <see cref="BffOptions.LogoutPath"/>):
/// ends the session, and with <see cref="BffLogoutMode.Keycloak"/> the identity provider's too.
/// Replace it with <c>AddBff(...).AddEndpoint&lt;ILogoutEndpoint, YourEndpoint&gt;()</c>.
/// </summary>
public interface ILogoutEndpoint : IBffEndpoint
{
}
