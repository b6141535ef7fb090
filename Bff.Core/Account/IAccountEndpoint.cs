using Bff.Api;
namespace Bff.Account;

/// <summary>
/// <c>GET /bff/account/{action}?returnUrl=/local/path</c> (path: <see cref="BffAccountOptions.Path"/>): sends a
/// signed-in user to a Keycloak application-initiated action (<c>kc_action</c>) through the same login as
/// <c>/bff/login</c>, and back to the return URL with <c>?bff_account={action}&amp;status={status}</c>. Replace it
/// with <c>AddBff(...).AddEndpoint&lt;IAccountEndpoint, YourEndpoint&gt;()</c>.
/// </summary>
public interface IAccountEndpoint : IBffEndpoint
{
}
