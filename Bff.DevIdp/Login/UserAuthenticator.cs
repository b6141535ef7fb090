using Bff.DevIdp.Realms;
using Bff.DevIdp.Tokens;

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

        // Compare even for an unknown user so both paths cost the same.
        var passwordMatches = SecretComparer.Matches(user?.Password ?? "\0no-user\0", password);
        if (user is null || user.Password is null || !passwordMatches)
        {
            return (LoginOutcome.InvalidCredentials, null);
        }

        return user.Enabled ? (LoginOutcome.Success, user) : (LoginOutcome.Disabled, null);
    }
}
