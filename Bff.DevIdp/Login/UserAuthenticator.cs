using Bff.DevIdp.Realms;

namespace Bff.DevIdp.Login;

/// <summary>The outcome of checking a user name and password.</summary>
internal enum LoginOutcome
{
    /// <summary>Unknown user or wrong password: the same answer for both, so user names cannot be probed.</summary>
    InvalidCredentials,

    /// <summary>The password was right but the account is disabled; only then is that revealed.</summary>
    Disabled,

    /// <summary>Signed in.</summary>
    Success,
}

internal static class UserAuthenticator
{
    public static (LoginOutcome Outcome, DevIdpUser? User) Authenticate(DevIdpRealm realm, string? username, string? password)
    {
        var user = realm.FindUserForLogin(username);

        // Verify even for an unknown user (against a dummy hash with Keycloak's default cost), so both paths cost
        // about the same and user names cannot be probed by timing.
        var stored = user?.Password ?? StoredPassword.Dummy;
        var passwordMatches = password is not null && stored.Matches(password);
        if (user is null || user.Password is null || !passwordMatches)
        {
            return (LoginOutcome.InvalidCredentials, null);
        }

        return user.Enabled ? (LoginOutcome.Success, user) : (LoginOutcome.Disabled, null);
    }
}
