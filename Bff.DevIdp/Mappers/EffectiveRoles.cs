using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Mappers;

/// <summary>
/// The roles a token's role mappers see: the user's realm and client roles, Keycloak's default roles
/// (<c>default-roles-&lt;realm&gt;</c> and what it contains), then the hardcoded-role and role-name mappers of the
/// client's scopes.
/// </summary>
internal sealed record EffectiveRoles(IReadOnlyList<string> Realm, IReadOnlyDictionary<string, IReadOnlyList<string>> Clients)
{
    public static EffectiveRoles For(DevIdpRealm realm, DevIdpUser user, IEnumerable<ProtocolMapperDefinition> mappers)
    {
        var realmRoles = user.RealmRoles.Concat(["offline_access", "uma_authorization", $"default-roles-{realm.Name}"]).ToList();
        var clientRoles = user.ClientRoles.Where(p => p.Value.Count > 0)
            .ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
        if (user.ServiceAccountClientId is null)
        {
            // Keycloak's default roles give every user the account console's roles (and so "aud": "account").
            clientRoles.TryAdd("account", ["manage-account", "manage-account-links", "view-profile"]);
        }

        foreach (var mapper in mappers)
        {
            if (mapper.Type == MapperTypes.HardcodedRole && Parse(mapper.Get("role")) is { } added)
            {
                Add(added.Client, added.Role);
            }
            else if (mapper.Type == MapperTypes.RoleName && Parse(mapper.Get("role")) is { } from && Parse(mapper.Get("new.role.name")) is { } to
                && Remove(from.Client, from.Role))
            {
                Add(to.Client, to.Role);
            }
        }

        return new EffectiveRoles(
            realmRoles.Distinct(StringComparer.Ordinal).ToList(),
            clientRoles.Where(p => p.Value.Count > 0)
                .ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal));

        void Add(string? client, string role)
        {
            if (client is null)
            {
                realmRoles.Add(role);
            }
            else if (clientRoles.TryGetValue(client, out var list))
            {
                list.Add(role);
            }
            else
            {
                clientRoles[client] = [role];
            }
        }

        bool Remove(string? client, string role) => client is null
            ? realmRoles.RemoveAll(r => r == role) > 0
            : clientRoles.TryGetValue(client, out var list) && list.RemoveAll(r => r == role) > 0;
    }

    /// <summary>Keycloak's role reference: <c>role</c> for a realm role, <c>clientId.role</c> for a client role.</summary>
    private static (string? Client, string Role)? Parse(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var dot = reference.LastIndexOf('.');
        return dot > 0 && dot < reference.Length - 1 ? (reference[..dot], reference[(dot + 1)..]) : (null, reference);
    }
}
