using System.Globalization;
using System.Text.Json;
using Bff.DevIdp.Realms;
using OpenIddict.Abstractions;

namespace Bff.DevIdp.Login;

/// <summary>
/// Keycloak's Level of Authentication (LoA) as a client sees it: acr values map to numeric levels through the
/// client's <c>acr.loa.map</c> attribute, else the realm's (JSON such as <c>{"silver":1,"gold":2}</c>); without a
/// map an acr value is its level. A password is level 1, the one-time password on top of it level 2, as a
/// browser flow with "Condition - Level of Authentication" sub-flows gives. The <c>acr</c> claim names the level
/// reached: the map's name for it, else its number.
/// </summary>
internal static class AcrLevels
{
    public const int Password = 1;

    public const int SecondFactor = 2;

    /// <summary>Parses an <c>acr.loa.map</c> attribute; null when absent.</summary>
    public static IReadOnlyDictionary<string, int>? ParseMap(string? json, string path)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? [];
        }
        catch (JsonException ex)
        {
            throw new RealmDataException(path, $"acr.loa.map must be a JSON object of acr values to numbers ({ex.Message}).");
        }
    }

    /// <summary>The level a request asks for through <c>acr_values</c> or the <c>claims</c> parameter's acr; 0 when none.</summary>
    public static int Requested(DevIdpRealm realm, DevIdpClient client, OpenIddictRequest request)
    {
        var values = new List<string>();
        if (request.AcrValues is { Length: > 0 } acrValues)
        {
            values.AddRange(acrValues.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        if (request.Claims is { } claims && claims.ToString() is { Length: > 0 } claimsJson)
        {
            values.AddRange(ClaimsAcr(claimsJson));
        }

        // Keycloak takes the lowest level among the values a client asks for (any of them satisfies it);
        // an unknown value is ignored.
        var levels = values.Select(v => LevelOf(realm, client, v)).OfType<int>().ToList();
        return levels.Count == 0 ? 0 : levels.Min();
    }

    /// <summary>The <c>acr</c> claim for a reached level.</summary>
    public static string AcrFor(DevIdpRealm realm, DevIdpClient client, int level)
    {
        var map = client.AcrLoaMap ?? realm.AcrLoaMap;
        return map.FirstOrDefault(p => p.Value == level).Key ?? level.ToString(CultureInfo.InvariantCulture);
    }

    private static int? LevelOf(DevIdpRealm realm, DevIdpClient client, string acr)
    {
        var map = client.AcrLoaMap ?? realm.AcrLoaMap;
        if (map.TryGetValue(acr, out var mapped))
        {
            return mapped;
        }

        return int.TryParse(acr, NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : null;
    }

    private static IEnumerable<string> ClaimsAcr(string json)
    {
        // {"id_token":{"acr":{"essential":true,"values":["gold"]}}} (OIDC Core 5.5.1.1).
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id_token", out var idToken) && idToken.ValueKind == JsonValueKind.Object
                && idToken.TryGetProperty("acr", out var acr) && acr.ValueKind == JsonValueKind.Object)
            {
                if (acr.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
                {
                    return [.. values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];
                }

                if (acr.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return [value.GetString()!];
                }
            }
        }
        catch (JsonException)
        {
        }

        return [];
    }
}
