namespace Bff;

/// <summary>The authentication scheme names the BFF registers.</summary>
public static class BffAuthenticationDefaults
{
    /// <summary>The cookie scheme holding the server-side session. The default scheme.</summary>
    public const string CookieScheme = "bff.cookie";

    /// <summary>The OpenID Connect scheme that signs people in at the identity provider.</summary>
    public const string OpenIdConnectScheme = "bff.oidc";
}
