using Bff.DevIdp.Realms;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Keycloak's scope rules: default client scopes always, optional ones when asked, unknown ones ignored. The result
/// is the token's <c>scope</c> value: <c>openid</c> when asked, then the granted client scopes that show in it
/// (<c>include.in.token.scope</c>; <c>roles</c>, <c>web-origins</c>, <c>acr</c> and <c>basic</c> do not), and every
/// requested optional scope, which is how the scopes in force are found again at refresh, userinfo and introspection.
/// </summary>
internal static class GrantedScopes
{
    public static IReadOnlyList<string> For(DevIdpClient client, IEnumerable<string> requested)
    {
        var asked = requested.ToHashSet(StringComparer.Ordinal);
        var granted = new List<string>();
        if (asked.Contains(Scopes.OpenId))
        {
            granted.Add(Scopes.OpenId);
        }

        granted.AddRange(client.DefaultClientScopes.Where(s => s.IncludeInTokenScope).Select(s => s.Name));
        granted.AddRange(client.OptionalClientScopes.Where(s => asked.Contains(s.Name)).Select(s => s.Name));
        return granted.Distinct(StringComparer.Ordinal).ToList();
    }
}
