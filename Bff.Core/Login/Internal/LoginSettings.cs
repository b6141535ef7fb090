using Bff.Claims;
using Bff.Users;

namespace Bff.Login.Internal;

/// <summary>What the login feature reads of the <c>Bff</c> section, composed by the root's options.</summary>
/// <param name="Login">Limits on starting logins and step-up levels (<c>Bff:Login</c>).</param>
/// <param name="Users">Local user settings (<c>Bff:Users</c>): the user name claims.</param>
/// <param name="Claims">Where the roles read at sign-in come from (<c>Bff:Claims</c>).</param>
/// <param name="LoginPath">The login endpoint's path (<c>Bff:LoginPath</c>).</param>
/// <param name="ErrorPath">The page a failed login lands on (<c>Bff:ErrorPath</c>).</param>
/// <param name="EffectiveApiPathPrefixes">The paths answered as an API (<c>Bff:ApiPathPrefixes</c>, or its default).</param>
internal sealed record LoginSettings(BffLoginOptions Login, BffUserOptions Users, BffClaimsOptions Claims, string LoginPath, string ErrorPath, IReadOnlyList<string> EffectiveApiPathPrefixes);
