namespace Bff.Logout;

/// <summary>How <c>/bff/logout</c> ends a session (configuration key <c>Bff:LogoutMode</c>).</summary>
public enum BffLogoutMode
{
    /// <summary>End the BFF session and revoke its refresh token; the identity provider's SSO session lives on.</summary>
    Local = 1,

    /// <summary>As <see cref="Local"/>, then RP-initiated logout ends the identity provider's SSO session too.</summary>
    Keycloak = 2,
}
