using Bff.Login.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Bff.Login;

/// <summary>
/// Step-up: the endpoint or page needs a session authenticated at this level at least (Keycloak's
/// <c>acr</c>, its Level of Authentication). A session below it gets, on the API, 401 ProblemDetails
/// naming the level (<c>bff:required_acr</c>); on a page, a redirect to
/// <c>/bff/login?acr_values=...&amp;returnUrl=...</c>. Levels compare as numbers, or by their order in
/// <c>Bff:Login:AcrLevels</c> when names are used.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class BffRequireAcrAttribute : AuthorizeAttribute
{
    /// <summary>Requires <paramref name="acr"/>, e.g. <c>"2"</c>.</summary>
    public BffRequireAcrAttribute(string acr)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(acr);
        Acr = acr;
        Policy = AcrPolicyProvider.PolicyPrefix + acr;
    }

    /// <summary>The required acr value.</summary>
    public string Acr { get; }
}

/// <summary><c>RequireAcr</c> on endpoint builders.</summary>
public static class BffRequireAcrExtensions
{
    /// <summary>The endpoints need a session authenticated at <paramref name="acr"/> at least (see <see cref="BffRequireAcrAttribute"/>).</summary>
    public static TBuilder RequireAcr<TBuilder>(this TBuilder builder, string acr)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthorization(new BffRequireAcrAttribute(acr));
    }
}
