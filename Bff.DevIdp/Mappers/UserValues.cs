using System.Text.Json.Nodes;
using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Mappers;

/// <summary>What the user mappers read from a user: Keycloak's user model properties and user attributes.</summary>
internal static class UserValues
{
    /// <summary>A property of Keycloak's UserModel, by its getter name (<c>username</c>, <c>emailVerified</c>, ...).</summary>
    public static JsonNode? Property(DevIdpUser user, string? property) => property?.ToLowerInvariant() switch
    {
        "id" => JsonValue.Create(user.Id),
        "username" => JsonValue.Create(user.Username),
        "email" => Text(user.Email),
        "firstname" => Text(user.FirstName),
        "lastname" => Text(user.LastName),
        "emailverified" => JsonValue.Create(user.EmailVerified),
        "enabled" => JsonValue.Create(user.Enabled),
        _ => null,
    };

    /// <summary>
    /// The values of a user attribute. Since Keycloak 24 the profile fields are attributes too, so
    /// <c>username</c>, <c>email</c>, <c>firstName</c> and <c>lastName</c> resolve here as well.
    /// </summary>
    public static IReadOnlyList<JsonNode> Attribute(DevIdpRealm realm, DevIdpUser user, string? attribute, bool aggregate)
    {
        if (attribute is null)
        {
            return [];
        }

        if (attribute is "username" or "email" or "firstName" or "lastName")
        {
            return Property(user, attribute) is { } value ? [value] : [];
        }

        // Keycloak falls back to the attributes of the user's groups (and their parents); with aggregate.attrs it
        // adds them to the user's own.
        var values = user.Attributes.TryGetValue(attribute, out var own) ? own.ToList() : [];
        if (values.Count == 0 || aggregate)
        {
            values.AddRange(user.Groups.SelectMany(RoleModel.WithParents).Distinct(StringComparer.Ordinal)
                .SelectMany(g => realm.RoleModel.Groups.TryGetValue(g, out var grants) && grants.Attributes.TryGetValue(attribute, out var v) ? v : []));
        }

        return [.. values.Distinct(StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v))];
    }

    /// <summary>The standard <c>address</c> claim from the attributes the address mapper is configured with.</summary>
    public static JsonObject? Address(DevIdpUser user, ProtocolMapperDefinition mapper)
    {
        var address = new JsonObject();
        foreach (var part in new[] { "formatted", "street_address", "locality", "region", "postal_code", "country" })
        {
            // The mapper's config names the attribute of each part (user.attribute.street for street_address).
            var key = part == "street_address" ? "street" : part;
            var attribute = mapper.Get("user.attribute." + key) ?? key;
            if (user.Attributes.TryGetValue(attribute, out var values) && values.Count > 0)
            {
                address[part] = values[0];
            }
        }

        return address.Count > 0 ? address : null;
    }

    private static JsonValue? Text(string? value) => string.IsNullOrEmpty(value) ? null : JsonValue.Create(value);
}
