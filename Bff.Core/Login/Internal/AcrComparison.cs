using System.Globalization;

namespace Bff.Login.Internal;

/// <summary>
/// Whether an authentication level reaches a required one. Keycloak's acr values are the numbers of its
/// Levels of Authentication unless the realm maps names to them (<c>acr.loa.map</c>); names are ordered by
/// <c>Bff:Login:AcrLevels</c> (lowest first). A value that is neither never reaches anything but itself.
/// </summary>
internal static class AcrComparison
{
    public static bool Satisfies(string? actual, string required, IReadOnlyList<string> orderedNames)
    {
        if (string.IsNullOrEmpty(actual))
        {
            return false;
        }

        if (string.Equals(actual, required, StringComparison.Ordinal))
        {
            return true;
        }

        var actualLevel = Level(actual, orderedNames);
        var requiredLevel = Level(required, orderedNames);
        return actualLevel is not null && requiredLevel is not null && actualLevel >= requiredLevel;
    }

    /// <summary>The lowest of space-separated acr values, as a level; null when none is known.</summary>
    public static int? Level(string acr, IReadOnlyList<string> orderedNames)
    {
        var index = -1;
        for (var i = 0; i < orderedNames.Count; i++)
        {
            if (string.Equals(orderedNames[i], acr, StringComparison.Ordinal))
            {
                index = i;
            }
        }

        if (index >= 0)
        {
            return index;
        }

        // Without names the values are Keycloak's level numbers (0 is an authentication from the SSO cookie).
        return orderedNames.Count == 0 && int.TryParse(acr, NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : null;
    }
}
