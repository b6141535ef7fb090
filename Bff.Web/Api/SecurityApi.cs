using Bff.Api;
using Bff.Claims;
using Bff.Login;

namespace Bff.Web.Api;

/// <summary>
/// A sample of step-up: <c>GET /api/security</c> answers only a session signed in with the second factor
/// (acr 2); below it, 401 ProblemDetails with <c>bff:required_acr</c> and the login URL that steps up.
/// </summary>
internal static class SecurityApi
{
    /// <summary>The level the sample asks for: Keycloak's LoA 2 (password and one-time code).</summary>
    public const string RequiredAcr = "2";

    public static IEndpointRouteBuilder MapSecurityApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/security", (HttpContext context) => TypedResults.Ok(new SecurityInfo(
                context.User.FindFirst("acr")?.Value,
                context.User.FindFirst(BffClaimTypes.UserId)?.Value)))
            .RequireBffApi()
            .RequireAcr(RequiredAcr)
            .WithTags("Security");
        return endpoints;
    }

    internal sealed record SecurityInfo(string? Acr, string? UserId);
}
