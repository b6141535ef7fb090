namespace Bff.Sessions.Internal;

/// <summary>The wire names of <see cref="SessionEndReason"/>.</summary>
internal static class SessionEndReasonNames
{
    /// <summary>The reason's name on the event stream and in metric tags, e.g. <c>backchannel_logout</c>.</summary>
    /// <param name="reason">The reason.</param>
    public static string ToWireName(this SessionEndReason reason) => reason switch
    {
        SessionEndReason.Logout => "logout",
        SessionEndReason.BackchannelLogout => "backchannel_logout",
        SessionEndReason.EndedByUser => "ended_by_user",
        SessionEndReason.EndedByAdministrator => "ended_by_administrator",
        SessionEndReason.SignedInAgain => "signed_in_again",
        SessionEndReason.IdleTimeout => "idle_timeout",
        SessionEndReason.AbsoluteTimeout => "absolute_timeout",
        SessionEndReason.RefreshRefused => "refresh_refused",
        SessionEndReason.AccountDeletion => "account_deletion",
        _ => "ended",
    };

    /// <summary>The reason a wire name stands for; <see cref="SessionEndReason.Unknown"/> for anything else.</summary>
    /// <param name="name">The wire name.</param>
    public static SessionEndReason FromWireName(string? name)
    {
        foreach (var reason in Enum.GetValues<SessionEndReason>())
        {
            if (string.Equals(reason.ToWireName(), name, StringComparison.Ordinal))
            {
                return reason;
            }
        }

        return SessionEndReason.Unknown;
    }
}
