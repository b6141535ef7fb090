using Bff.Api;
namespace Bff.Login;

/// <summary>
/// <c>GET /bff/login?returnUrl=/local/path</c> (path: <see cref="BffOptions.LoginPath"/>): starts an
/// OpenID Connect login and comes back to the local return URL. Replace it with
/// <c>AddBff(...).AddEndpoint&lt;ILoginEndpoint, YourEndpoint&gt;()</c>.
/// </summary>
public interface ILoginEndpoint : IBffEndpoint
{
}
