namespace Bff.Claims;

/// <summary>The roles and groups read from a Keycloak token.</summary>
/// <param name="RealmRoles">The names in <c>realm_access.roles</c>.</param>
/// <param name="ClientRoles">The names in <c>resource_access.&lt;client id&gt;.roles</c>.</param>
/// <param name="Groups">The values of <c>groups</c>, as given (full paths start with <c>/</c>).</param>
public sealed record KeycloakAuthorization(
    IReadOnlyList<string> RealmRoles,
    IReadOnlyList<string> ClientRoles,
    IReadOnlyList<string> Groups)
{
    /// <summary>No roles and no groups: what a token without Keycloak claims yields.</summary>
    public static KeycloakAuthorization Empty { get; } = new([], [], []);

    /// <summary>
    /// Every value that becomes a <c>role</c> claim: realm roles, client roles, and each group both
    /// as given and without its leading <c>/</c>, without duplicates, in that order.
    /// </summary>
    public IReadOnlyList<string> RoleNames
    {
        get
        {
            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            void Add(string value)
            {
                if (value.Length > 0 && seen.Add(value))
                {
                    names.Add(value);
                }
            }

            foreach (var role in RealmRoles)
            {
                Add(role);
            }

            foreach (var role in ClientRoles)
            {
                Add(role);
            }

            foreach (var group in Groups)
            {
                Add(group);
                Add(group.TrimStart('/'));
            }

            return names;
        }
    }
}
