using Bff.Logout;

namespace Bff.Health.Internal;

/// <summary>The settings outside the health feature that the start-up configuration check weighs.</summary>
/// <param name="PublicOrigin">The origin people reach the BFF at (<c>Bff:PublicOrigin</c>), if set.</param>
/// <param name="LogoutMode">The logout mode (<c>Bff:LogoutMode</c>).</param>
internal sealed record StartupCheckSettings(Uri? PublicOrigin, BffLogoutMode LogoutMode);
