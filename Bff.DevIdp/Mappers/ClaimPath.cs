using System.Text;
using System.Text.Json.Nodes;

namespace Bff.DevIdp.Mappers;

/// <summary>
/// Keycloak's claim names: a dot nests (<c>address.street</c> is <c>{"address":{"street":...}}</c>), a backslash
/// escapes the next character (<c>my\.claim</c> is one claim named <c>my.claim</c>).
/// </summary>
internal static class ClaimPath
{
    public static List<string> Split(string claimName)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < claimName.Length; i++)
        {
            var c = claimName[i];
            if (c == '\\' && i + 1 < claimName.Length)
            {
                current.Append(claimName[++i]);
            }
            else if (c == '.')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    /// <summary>Escapes dots and backslashes so that <paramref name="segment"/> stays one path component.</summary>
    public static string Escape(string segment) => segment.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(".", "\\.", StringComparison.Ordinal);

    /// <summary>
    /// Sets the claim at its path, creating the objects on the way. With <paramref name="appendToArray"/> (role
    /// mappers) an array already there is extended instead of replaced, as Keycloak adds roles to a role list.
    /// </summary>
    public static void Set(JsonObject claims, string claimName, JsonNode value, bool appendToArray = false)
    {
        var path = Split(claimName);
        if (path.Any(p => p.Length == 0))
        {
            return;
        }

        var target = claims;
        foreach (var part in path.Take(path.Count - 1))
        {
            if (target[part] is not JsonObject nested)
            {
                nested = [];
                target[part] = nested;
            }

            target = nested;
        }

        var last = path[^1];
        if (appendToArray && target[last] is JsonArray existing && value is JsonArray added)
        {
            foreach (var item in added.Select(a => a?.DeepClone()))
            {
                if (!existing.Any(e => JsonNode.DeepEquals(e, item)))
                {
                    existing.Add(item);
                }
            }

            return;
        }

        target[last] = value;
    }
}
