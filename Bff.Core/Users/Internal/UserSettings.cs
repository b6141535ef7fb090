namespace Bff.Users.Internal;

/// <summary>What the users feature reads of the <c>Bff</c> section, composed by the root's options.</summary>
/// <param name="Users">Local user mapping settings (<c>Bff:Users</c>).</param>
/// <param name="LogoutPath">The logout endpoint's path (<c>Bff:LogoutPath</c>), for the user's logout URL.</param>
internal sealed record UserSettings(BffUserOptions Users, string LogoutPath);
