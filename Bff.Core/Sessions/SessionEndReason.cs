namespace Bff.Sessions;

/// <summary>Why a server-side session ended, as the SPA's event stream and the metrics report it.</summary>
public enum SessionEndReason
{
    /// <summary>The user signed out (<c>/bff/logout</c>), in this tab or another. Wire name <c>logout</c>.</summary>
    Logout,

    /// <summary>The identity provider ended the session by back-channel logout. Wire name <c>backchannel_logout</c>.</summary>
    BackchannelLogout,

    /// <summary>The user ended it from another session (the sessions page or API). Wire name <c>ended_by_user</c>.</summary>
    EndedByUser,

    /// <summary>An administrator ended it. Wire name <c>ended_by_administrator</c>.</summary>
    EndedByAdministrator,

    /// <summary>The same browser signed in again, which replaces the old session. Wire name <c>signed_in_again</c>.</summary>
    SignedInAgain,

    /// <summary>Unused for longer than the idle timeout. Wire name <c>idle_timeout</c>.</summary>
    IdleTimeout,

    /// <summary>Its absolute lifetime ran out. Wire name <c>absolute_timeout</c>.</summary>
    AbsoluteTimeout,

    /// <summary>The identity provider refused its refresh token for good. Wire name <c>refresh_refused</c>.</summary>
    RefreshRefused,

    /// <summary>
    /// The user went to delete their account at the identity provider (<c>/bff/account/delete_account</c>); the
    /// session ends before, since Keycloak never comes back after a deletion. Wire name <c>account_deletion</c>.
    /// </summary>
    AccountDeletion,

    /// <summary>It is gone and nothing said why (a storage change this instance was not told of). Wire name <c>ended</c>.</summary>
    Unknown,
}
