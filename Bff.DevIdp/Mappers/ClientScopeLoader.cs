using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Mappers;

/// <summary>
/// Reads a realm file's client scopes and protocol mappers as Keycloak's import does: a realm without
/// <c>clientScopes</c> gets Keycloak's built-in ones, a client without <c>defaultClientScopes</c> gets the realm's
/// <c>defaultDefaultClientScopes</c>, a reference to a scope that does not exist is ignored, and a mapper type the
/// DevIdp does not run is ignored too. Each of those is a warning (the realm still loads, as it would in Keycloak).
/// </summary>
internal sealed class ClientScopeLoader
{
    private readonly Dictionary<string, ClientScope> _scopes;
    private readonly IReadOnlyList<string> _realmDefaults;
    private readonly IReadOnlyList<string> _realmOptional;
    private readonly List<string> _warnings;

    public ClientScopeLoader(RealmRepresentation realm, List<string> warnings)
    {
        _warnings = warnings;
        _scopes = new Dictionary<string, ClientScope>(StringComparer.Ordinal);
        if (realm.ClientScopes is null)
        {
            foreach (var scope in BuiltInClientScopes.All)
            {
                _scopes[scope.Name] = scope;
            }
        }
        else
        {
            foreach (var scope in realm.ClientScopes)
            {
                if (string.IsNullOrWhiteSpace(scope.Name))
                {
                    throw new InvalidDataException("a client scope has no name.");
                }

                // SAML scopes (role_list, saml_organization) are in every export; they map nothing for OpenID Connect.
                if (scope.Protocol is { Length: > 0 } protocol && protocol != "openid-connect")
                {
                    continue;
                }

                var include = scope.Attributes?.GetValueOrDefault("include.in.token.scope");
                _scopes[scope.Name] = new ClientScope(scope.Name, !string.Equals(include, "false", StringComparison.OrdinalIgnoreCase),
                    Mappers(scope.ProtocolMappers, $"client scope '{scope.Name}'"));
            }
        }

        _realmDefaults = realm.DefaultDefaultClientScopes ?? BuiltInClientScopes.RealmDefaultScopes;
        _realmOptional = realm.DefaultOptionalClientScopes ?? BuiltInClientScopes.RealmOptionalScopes;
    }

    /// <summary>The client's default scopes, resolved by name.</summary>
    public IReadOnlyList<ClientScope> DefaultScopes(ClientRepresentation client) =>
        Resolve(client.DefaultClientScopes ?? _realmDefaults, client.ClientId);

    /// <summary>The client's optional scopes, resolved by name.</summary>
    public IReadOnlyList<ClientScope> OptionalScopes(ClientRepresentation client) =>
        Resolve(client.OptionalClientScopes ?? _realmOptional, client.ClientId);

    /// <summary>The protocol mappers of a scope or client that the DevIdp runs.</summary>
    public IReadOnlyList<ProtocolMapperDefinition> Mappers(IEnumerable<ProtocolMapperRepresentation>? mappers, string owner)
    {
        var result = new List<ProtocolMapperDefinition>();
        foreach (var mapper in mappers ?? [])
        {
            if (mapper.Protocol is { Length: > 0 } protocol && protocol != "openid-connect")
            {
                continue;
            }

            var type = mapper.ProtocolMapper ?? "";
            if (!MapperTypes.IsKnown(type))
            {
                _warnings.Add($"{owner}: protocol mapper '{mapper.Name}' has type '{type}', which the DevIdp does not run; its claim is left out.");
                continue;
            }

            result.Add(new ProtocolMapperDefinition(mapper.Name ?? type, type,
                new Dictionary<string, string>(mapper.Config ?? [], StringComparer.Ordinal)));
        }

        return result;
    }

    private List<ClientScope> Resolve(IEnumerable<string> names, string? clientId)
    {
        var resolved = new List<ClientScope>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (_scopes.TryGetValue(name, out var scope))
            {
                resolved.Add(scope);
            }
            else if (!IsSamlScope(name))
            {
                _warnings.Add($"client '{clientId}': client scope '{name}' does not exist in the realm; ignored, as Keycloak's import does.");
            }
        }

        return resolved;
    }

    private static bool IsSamlScope(string name) => name is "role_list" or "saml_organization";
}
