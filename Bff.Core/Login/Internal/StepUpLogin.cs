using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Bff.Login.Internal;

/// <summary>
/// A step-up login (<c>/bff/login?acr_values=2</c>) must come back at that level. A provider that ignores
/// acr_values (a Keycloak realm without a step-up flow answers with its usual level) would otherwise send the
/// browser round in a loop: the login is refused instead, and the session it was to replace lives on.
/// </summary>
internal static class StepUpLogin
{
    // Persisted in the protected state, so the callback knows what was asked for.
    private const string RequestedItem = "bff.acr_values";

    public static void Mark(AuthenticationProperties properties, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.TryGetValue(AuthorizeParameters.AcrValues, out var acrValues))
        {
            properties.Items[RequestedItem] = acrValues;
        }
    }

    /// <summary>Whether the identity's acr reaches what the login asked for (true when it asked for nothing).</summary>
    public static bool Reached(AuthenticationProperties? properties, ClaimsIdentity identity, IReadOnlyList<string> levelNames)
    {
        if (properties is null || !properties.Items.TryGetValue(RequestedItem, out var requested) || string.IsNullOrEmpty(requested))
        {
            return true;
        }

        var acr = identity.FindFirst("acr")?.Value;

        // acr_values lists acceptable values; any one of them reached is enough.
        return requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(r => AcrComparison.Satisfies(acr, r, levelNames));
    }
}
