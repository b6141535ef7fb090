using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Mappers;

/// <summary>
/// The roles a token's role mappers see, resolved as Keycloak does: the user's own realm and client roles, the
/// realm's default role (<c>default-roles-&lt;realm&gt;</c>), the roles of the user's groups and their parent
/// groups, every composite expanded transitively, then the hardcoded-role and role-name mappers of the client's
/// scopes.
/// </summary>
internal sealed record EffectiveRoles(IReadOnlyList<string> Realm, IReadOnlyDictionary<string, IReadOnlyList<string>> Clients)
{
    public static EffectiveRoles For(DevIdpRealm realm, DevIdpUser user, IEnumerable<ProtocolMapperDefinition> mappers)
    {
        var model = realm.RoleModel;
        var defaultRole = new RoleRef(null, $"default-roles-{realm.Name}");
        var direct = new List<RoleRef> { defaultRole };
        direct.AddRange(user.RealmRoles.Select(r => new RoleRef(null, r)));
        direct.AddRange(user.ClientRoles.SelectMany(p => p.Value.Select(r => new RoleRef(p.Key, r))));
        direct.AddRange(user.Groups.SelectMany(RoleModel.WithParents).Distinct(StringComparer.Ordinal)
            .SelectMany(g => model.Groups.TryGetValue(g, out var grants) ? grants.Roles : []));

        var roles = new List<RoleRef>();
        var seen = new HashSet<RoleRef>();
        var pending = new Queue<RoleRef>(direct);
        while (pending.TryDequeue(out var role))
        {
            if (!seen.Add(role))
            {
                continue;
            }

            roles.Add(role);
            if (model.Composites.TryGetValue(role, out var contained))
            {
                contained.ToList().ForEach(pending.Enqueue);
            }
            else if (role == defaultRole)
            {
                // A hand-written realm file rarely defines its default role: Keycloak's own default then applies.
                pending.Enqueue(new RoleRef(null, "offline_access"));
                pending.Enqueue(new RoleRef(null, "uma_authorization"));
                if (user.ServiceAccountClientId is null)
                {
                    pending.Enqueue(new RoleRef("account", "view-profile"));
                    pending.Enqueue(new RoleRef("account", "manage-account"));
                    pending.Enqueue(new RoleRef("account", "manage-account-links"));
                }
            }
        }

        foreach (var mapper in mappers)
        {
            if (mapper.Type == MapperTypes.HardcodedRole && Parse(mapper.Get("role")) is { } added)
            {
                roles.Add(added);
            }
            else if (mapper.Type == MapperTypes.RoleName && Parse(mapper.Get("role")) is { } from && Parse(mapper.Get("new.role.name")) is { } to
                && roles.RemoveAll(r => r == from) > 0)
            {
                roles.Add(to);
            }
        }

        return new EffectiveRoles(
            roles.Where(r => r.Client is null).Select(r => r.Name).Distinct(StringComparer.Ordinal).ToList(),
            roles.Where(r => r.Client is not null).GroupBy(r => r.Client!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Name).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal));
    }

    /// <summary>Keycloak's role reference: <c>role</c> for a realm role, <c>clientId.role</c> for a client role.</summary>
    private static RoleRef? Parse(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var dot = reference.LastIndexOf('.');
        return dot > 0 && dot < reference.Length - 1 ? new RoleRef(reference[..dot], reference[(dot + 1)..]) : new RoleRef(null, reference);
    }
}
