using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Mappers;

/// <summary>A realm role (<see cref="Client"/> null) or a client role.</summary>
internal readonly record struct RoleRef(string? Client, string Name);

/// <summary>What a group gives its members (and the members of its subgroups): roles and attributes.</summary>
internal sealed record GroupGrants(IReadOnlyList<RoleRef> Roles, IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes);

/// <summary>
/// The realm's role graph as its file defines it: each composite role and the roles it contains, and what each
/// group (by path) grants. Keycloak resolves a user's roles through both, transitively.
/// </summary>
internal sealed record RoleModel(IReadOnlyDictionary<RoleRef, IReadOnlyList<RoleRef>> Composites, IReadOnlyDictionary<string, GroupGrants> Groups)
{
    public static RoleModel Empty { get; } = new(new Dictionary<RoleRef, IReadOnlyList<RoleRef>>(), new Dictionary<string, GroupGrants>());

    public static RoleModel From(RealmRepresentation realm)
    {
        var composites = new Dictionary<RoleRef, IReadOnlyList<RoleRef>>();
        foreach (var role in realm.Roles?.Realm ?? [])
        {
            AddComposite(composites, new RoleRef(null, role.Name ?? ""), role);
        }

        foreach (var (client, roles) in realm.Roles?.Client ?? [])
        {
            foreach (var role in roles)
            {
                AddComposite(composites, new RoleRef(client, role.Name ?? ""), role);
            }
        }

        var groups = new Dictionary<string, GroupGrants>(StringComparer.Ordinal);
        foreach (var group in realm.Groups ?? [])
        {
            AddGroup(groups, group, "/");
        }

        return new RoleModel(composites, groups);
    }

    /// <summary>The group paths a membership of <paramref name="path"/> counts as: the group and its parents.</summary>
    public static IEnumerable<string> WithParents(string path)
    {
        var current = path;
        while (current.Length > 1)
        {
            yield return current;
            var slash = current.LastIndexOf('/');
            if (slash <= 0)
            {
                yield break;
            }

            current = current[..slash];
        }
    }

    private static void AddComposite(Dictionary<RoleRef, IReadOnlyList<RoleRef>> composites, RoleRef role, RoleRepresentation source)
    {
        if (role.Name.Length == 0 || source.Composites is not { } parts)
        {
            return;
        }

        composites[role] = [.. (parts.Realm ?? []).Select(r => new RoleRef(null, r)),
            .. (parts.Client ?? []).SelectMany(p => p.Value.Select(r => new RoleRef(p.Key, r)))];
    }

    private static void AddGroup(Dictionary<string, GroupGrants> groups, GroupRepresentation group, string parent)
    {
        var path = parent + group.Name;
        groups[path] = new GroupGrants(
            [.. (group.RealmRoles ?? []).Select(r => new RoleRef(null, r)),
                .. (group.ClientRoles ?? []).SelectMany(p => p.Value.Select(r => new RoleRef(p.Key, r)))],
            (group.Attributes ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal));
        foreach (var sub in group.SubGroups ?? [])
        {
            AddGroup(groups, sub, path + "/");
        }
    }
}
