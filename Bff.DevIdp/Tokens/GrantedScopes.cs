using Bff.DevIdp.Realms;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>Keycloak's scope rules: default client scopes always, optional ones when asked, unknown ones ignored.</summary>
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

        granted.AddRange(client.DefaultScopes);
        granted.AddRange(client.OptionalScopes.Where(asked.Contains));
        return granted.Distinct(StringComparer.Ordinal).ToList();
    }
}
