using Bff.Api;
namespace Bff.Users;

/// <summary>
/// <c>GET /bff/user</c> (path: <see cref="BffOptions.UserPath"/>): the signed-in user's claims for a
/// SPA, with the BFF's management claims (<c>bff:logout_url</c>, ...), never a token. Replace it with
/// <c>AddBff(...).AddEndpoint&lt;IUserEndpoint, YourEndpoint&gt;()</c>.
/// </summary>
public interface IUserEndpoint : IBffEndpoint
{
}
