using System.Globalization;
using System.Security.Claims;
using Bff.Api;
using Bff.Api.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tokens.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bff.Users.Internal;

/// <summary>
/// <c>GET /bff/user</c>: who the SPA's user is, as Duende BFF answers it: a JSON array of
/// <c>{ "type", "value" }</c> claims, plus management claims the BFF adds:
/// <list type="bullet">
/// <item><c>bff:logout_url</c>: the logout URL with this session's logout guard (cookie sessions): the
/// identity provider's <c>sid</c>, or the session's public id when the provider issued none;</item>
/// <item><c>bff:session_expires_in</c>: seconds until the session expires;</item>
/// <item><c>bff:api_access</c>: <c>true</c> when the session holds tokens that can still call APIs;</item>
/// <item><c>bff:authentication</c>: <c>cookie</c> or <c>bearer</c>.</item>
/// </list>
/// 401 JSON when anonymous or without <c>X-CSRF: 1</c>. Never a token.
/// </summary>
internal static class UserEndpoint
{
    /// <summary>The claim types that are never echoed, whatever a mapper put in the principal.</summary>
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "access_token", "refresh_token", "id_token", "token",
    };

    /// <summary>Maps <c>GET</c> <paramref name="pattern"/> to the <see cref="IUserEndpoint"/> from DI.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet(pattern, BffEndpointHandlers.For<IUserEndpoint>())
            .RequireBffApi()
            .WithName("BffUser");

    /// <summary>
    /// The logout URL for a user's session: <c>/bff/logout?sid=...</c> with its <see cref="LogoutGuard"/>,
    /// or plain <c>/bff/logout</c> (which then needs a form POST) when there is none.
    /// </summary>
    /// <param name="user">The signed-in user.</param>
    /// <param name="sessionKey">The session's key, if known: the guard of a session without <c>sid</c>.</param>
    /// <param name="pathBase">The application's path base.</param>
    /// <param name="logoutPath">The logout endpoint's path (<see cref="BffOptions.LogoutPath"/>).</param>
    public static string LogoutUrl(ClaimsPrincipal user, string? sessionKey, PathString pathBase, string logoutPath)
    {
        ArgumentNullException.ThrowIfNull(user);
        var guard = LogoutGuard(user, sessionKey);
        var path = pathBase.Add(logoutPath).Value!;
        return string.IsNullOrEmpty(guard) ? path : $"{path}?sid={Uri.EscapeDataString(guard)}";
    }

    /// <summary>
    /// What a GET logout must carry as <c>sid</c> to prove it came from this site: the identity
    /// provider's <c>sid</c>, or, for providers that issue none, the session's public id (SHA-256 of
    /// the key; another site can read neither).
    /// </summary>
    /// <param name="user">The signed-in user.</param>
    /// <param name="sessionKey">The session's key, if known.</param>
    public static string? LogoutGuard(ClaimsPrincipal user, string? sessionKey)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst("sid")?.Value is { Length: > 0 } sid
            ? sid
            : string.IsNullOrEmpty(sessionKey) ? null : SessionPublicId.Of(sessionKey);
    }

    internal static async Task<Ok<List<UserClaim>>> GetUserAsync(
        HttpContext context,
        IInternalSessionStore store,
        IAuthenticationSchemeProvider schemes,
        TimeProvider time,
        UserSettings options)
    {
        context.Response.Headers.CacheControl = "no-store";
        var user = context.User;
        var claims = user.Claims
            .Where(c => !Hidden.Contains(c.Type))
            .Select(c => new UserClaim(c.Type, c.Value))
            .ToList();

        if (BffApiAuthenticationSelector.IsBearerRequest(context.Request))
        {
            claims.Add(new UserClaim("bff:authentication", "bearer"));
            return TypedResults.Ok(claims);
        }

        claims.Add(new UserClaim("bff:authentication", "cookie"));
        var scheme = await BffSchemes.SessionSchemeAsync(schemes);
        var session = scheme is null ? null : await context.AuthenticateAsync(scheme);
        var sessionKey = session?.Properties?.Items.TryGetValue(BffSessionProperties.SessionKey, out var value) == true ? value : null;
        claims.Add(new UserClaim("bff:logout_url", LogoutUrl(user, sessionKey, context.Request.PathBase, options.LogoutPath)));
        var now = time.GetUtcNow();
        if (session?.Properties?.ExpiresUtc is { } expires)
        {
            var seconds = Math.Max(0, (long)(expires - now).TotalSeconds);
            claims.Add(new UserClaim("bff:session_expires_in", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        var apiAccess = false;
        if (!string.IsNullOrEmpty(sessionKey))
        {
            // The store answers from what it keeps of the tokens' state, so a session that only
            // reads /bff/user keeps no unprotected tokens in memory.
            var state = await store.GetTokenStateAsync(sessionKey, context.RequestAborted);
            apiAccess = state is { HasTokens: true } tokens &&
                (tokens.HasRefreshToken || !TokenExpiry.IsExpired(tokens.AccessTokenExpiresAt, now));
        }

        claims.Add(new UserClaim("bff:api_access", apiAccess ? "true" : "false"));
        return TypedResults.Ok(claims);
    }
}

/// <summary>One claim as <c>/bff/user</c> returns it.</summary>
/// <param name="Type">The claim type.</param>
/// <param name="Value">The claim value.</param>
internal sealed record UserClaim(string Type, string Value);
