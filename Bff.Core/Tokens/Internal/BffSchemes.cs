using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Bff.Tokens.Internal;

/// <summary>Finds the schemes the token and API features build on.</summary>
internal static class BffSchemes
{
    /// <summary>
    /// The cookie session's scheme, whose properties carry the session key: the app's default
    /// authenticate scheme (AddBff makes it <see cref="BffAuthenticationDefaults.CookieScheme"/>).
    /// </summary>
    public static async ValueTask<string?> SessionSchemeAsync(IAuthenticationSchemeProvider schemes) =>
        (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name;

    /// <summary>
    /// The OpenID Connect scheme the BFF logs in with: <see cref="BffAuthenticationDefaults.OpenIdConnectScheme"/>
    /// when registered, else the only OpenID Connect scheme there is.
    /// </summary>
    public static string OidcScheme(IEnumerable<AuthenticationScheme> all)
    {
        var oidc = all.Where(s => typeof(OpenIdConnectHandler).IsAssignableFrom(s.HandlerType)).ToList();
        if (oidc.Any(s => s.Name == BffAuthenticationDefaults.OpenIdConnectScheme))
        {
            return BffAuthenticationDefaults.OpenIdConnectScheme;
        }

        return oidc.Count switch
        {
            1 => oidc[0].Name,
            0 => throw new InvalidOperationException("The BFF's tokens and bearer authentication need an OpenID Connect authentication scheme; none is registered."),
            _ => throw new InvalidOperationException($"Several OpenID Connect schemes are registered; name the BFF's '{BffAuthenticationDefaults.OpenIdConnectScheme}'."),
        };
    }
}
