using Bff.Api;
namespace Bff.Logout;

/// <summary>
/// <c>POST /bff/backchannel</c> (path: <see cref="BffOptions.BackchannelLogoutPath"/>): OpenID Connect
/// back-channel logout, a logout token from the identity provider ending the sessions it names.
/// Replace it with <c>AddBff(...).AddEndpoint&lt;IBackchannelLogoutEndpoint, YourEndpoint&gt;()</c>.
/// </summary>
public interface IBackchannelLogoutEndpoint : IBffEndpoint
{
}
