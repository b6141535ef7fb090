using System.Security.Claims;
using Bff.Claims;

namespace Bff.Users.Internal;

/// <summary>Builds <see cref="UserLoginInfo"/> the same way for cookie logins and bearer calls.</summary>
internal static class UserLoginInfoFactory
{
    /// <summary>
    /// Reads the profile claims of a validated identity, and the roles and groups the access token
    /// grants, into the mapper's input.
    /// </summary>
    /// <param name="identity">The identity built from a validated token.</param>
    /// <param name="subject">The identity's <c>sub</c> claim (its issuer is the user's issuer).</param>
    /// <param name="authorization">The Keycloak roles and groups to record.</param>
    public static UserLoginInfo Create(ClaimsIdentity identity, Claim subject, KeycloakAuthorization authorization) =>
        Create(identity, subject, authorization, identity?.FindFirst(BffClaimTypes.Name)?.Value ?? subject?.Value ?? "");

    /// <summary>
    /// Reads the profile claims of a validated identity, with the user name the caller resolved
    /// (<c>Bff:Users:UserNameClaims</c>), and the roles and groups the access token grants.
    /// </summary>
    /// <param name="identity">The identity built from a validated token.</param>
    /// <param name="subject">The identity's <c>sub</c> claim (its issuer is the user's issuer).</param>
    /// <param name="authorization">The Keycloak roles and groups to record.</param>
    /// <param name="userName">The local user name; never empty.</param>
    public static UserLoginInfo Create(ClaimsIdentity identity, Claim subject, KeycloakAuthorization authorization, string userName)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        return new UserLoginInfo(
            subject.Issuer,
            subject.Value,
            userName,
            identity.FindFirst("given_name")?.Value,
            identity.FindFirst("family_name")?.Value,
            identity.FindFirst("email")?.Value,
            string.Equals(identity.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase),
            [.. authorization.RealmRoles.Concat(authorization.ClientRoles).Distinct(StringComparer.Ordinal)],
            authorization.Groups);
    }
}
