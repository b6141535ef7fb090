using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;

namespace Bff.DevIdp.Logout;

/// <summary>Ends SSO sessions: the session dies, its refresh tokens die, and its clients hear about it.</summary>
internal sealed class SessionTerminator(DevIdpState state, BackchannelLogoutSender backchannel, ILogger<SessionTerminator> logger)
{
    public async Task EndAsync(DevIdpRealm realm, SsoSession session, string issuer, string reason, CancellationToken cancellationToken)
    {
        if (!session.End())
        {
            return;
        }

        state.Grants.RevokeSession(session.Id);
        DevIdpLog.SessionEnded(logger, realm.Name, session.UserId, reason);
        await backchannel.SendAsync(realm, session, issuer, cancellationToken);
    }

    public async Task<int> EndAllForUserAsync(DevIdpRealm realm, string userId, string issuer, string reason, CancellationToken cancellationToken)
    {
        var sessions = state.Sessions.ForUser(realm.Name, userId);
        foreach (var session in sessions)
        {
            await EndAsync(realm, session, issuer, reason, cancellationToken);
        }

        return sessions.Count;
    }
}
