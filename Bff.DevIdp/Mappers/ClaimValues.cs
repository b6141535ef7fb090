using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bff.DevIdp.Mappers;

/// <summary>Keycloak's value rules for mapped claims: <c>multivalued</c> and <c>jsonType.label</c>.</summary>
internal static class ClaimValues
{
    /// <summary>
    /// A list of raw values becomes an array when the mapper is multivalued, otherwise its first value; each value is
    /// converted to the mapper's JSON type. Null when there is nothing to write (no value, or one that does not
    /// convert: Keycloak fails the request there, the DevIdp leaves the claim out).
    /// </summary>
    public static JsonNode? Map(ProtocolMapperDefinition mapper, IReadOnlyList<JsonNode> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var type = mapper.Get("jsonType.label");
        if (!mapper.Is("multivalued"))
        {
            return Convert(type, values[0]);
        }

        var converted = values.Select(v => Convert(type, v)).ToList();
        return converted.Any(v => v is null) ? null : new JsonArray([.. converted]);
    }

    public static JsonNode? Map(ProtocolMapperDefinition mapper, JsonNode? value) => value is null ? null : Map(mapper, [value]);

    public static JsonNode? Convert(string? type, JsonNode value)
    {
        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        switch (type)
        {
            case "String":
                return JsonValue.Create(text);
            case "long":
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : null;
            case "int":
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? JsonValue.Create(i) : null;
            case "boolean":
                // Java's Boolean.valueOf: "true" in any case is true, everything else false.
                return JsonValue.Create(string.Equals(text, "true", StringComparison.OrdinalIgnoreCase));
            case "JSON":
                try
                {
                    return value.GetValueKind() == JsonValueKind.String ? JsonNode.Parse(text) : value.DeepClone();
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return value.DeepClone();
        }
    }
}
