namespace Bff.Testing;

/// <summary>A user of a realm file, as tests sign in with it; <see cref="Id"/> is the tokens' <c>sub</c>.</summary>
/// <param name="Id">The user's id (<c>sub</c>).</param>
/// <param name="Username">The login name (<c>preferred_username</c>).</param>
/// <param name="Password">The password (a realm export for tests keeps it in plain text: <c>credentials[].value</c>).</param>
/// <param name="Email">The e-mail address.</param>
/// <param name="EmailVerified">Whether the e-mail address is verified.</param>
/// <param name="Enabled">Whether the user may sign in.</param>
/// <param name="FirstName">The first name (<c>given_name</c>).</param>
/// <param name="LastName">The last name (<c>family_name</c>).</param>
/// <param name="RealmRoles">The realm roles given directly (not through groups or composites).</param>
/// <param name="ClientRoles">The client roles given directly, by client id.</param>
/// <param name="Groups">The group paths (<c>/staff/engineering</c>).</param>
public sealed record TestUser(
    string Id, string Username, string Password, string Email, bool EmailVerified, bool Enabled,
    string FirstName, string LastName, IReadOnlyList<string> RealmRoles, IReadOnlyDictionary<string, string[]> ClientRoles, IReadOnlyList<string> Groups)
{
    /// <summary>"First Last", as the <c>name</c> claim.</summary>
    public string FullName => $"{FirstName} {LastName}";

    /// <summary>The client roles the user has on <paramref name="clientId"/> (empty when none).</summary>
    public IReadOnlyList<string> RolesOf(string clientId) => ClientRoles.TryGetValue(clientId, out var roles) ? roles : [];
}

/// <summary>A client of a realm, with the secret a confidential client authenticates with.</summary>
/// <param name="ClientId">The client id.</param>
/// <param name="Secret">The client secret (<c>client_secret_post</c>/<c>client_secret_basic</c>).</param>
/// <param name="RedirectUri">The first registered redirect URI, or null.</param>
/// <param name="PostLogoutRedirectUris">The registered post-logout redirect URIs.</param>
/// <param name="BackchannelLogoutUrl">The registered back-channel logout URL, or null.</param>
public sealed record TestClient(string ClientId, string Secret, string? RedirectUri, string[] PostLogoutRedirectUris, string? BackchannelLogoutUrl);
