namespace Bff.Logout.Internal;

/// <summary>What the logout feature reads of the <c>Bff</c> section, composed by the root's options.</summary>
/// <param name="LogoutMode">Local or Keycloak logout (<c>Bff:LogoutMode</c>).</param>
/// <param name="EffectiveApiPathPrefixes">The paths answered as an API (<c>Bff:ApiPathPrefixes</c>, or its default).</param>
internal sealed record LogoutSettings(BffLogoutMode LogoutMode, IReadOnlyList<string> EffectiveApiPathPrefixes);
