using Bff.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Testing;

/// <summary>
/// Reaches into the server-side sessions of a running app that uses Bff.Core (through its
/// <see cref="IServerSessionStore"/>), for what a test cannot wait for: an access token that has expired.
/// </summary>
public static class BffSessions
{
    /// <summary>The newest server-side session of <paramref name="subject"/> (the user's id, <c>sub</c>); throws when there is none.</summary>
    public static async Task<ServerSession> SessionOfAsync(IServiceProvider services, string subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var sessions = await services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: subject), cancellationToken);
        return sessions.OrderByDescending(s => s.Created).FirstOrDefault()
            ?? throw new InvalidOperationException($"No server-side session of {subject}: is the user signed in?");
    }

    /// <summary>
    /// Makes the app believe the access token of <paramref name="subject"/>'s newest session expired a
    /// minute ago (the token stays valid at the identity provider), so its next API call refreshes it.
    /// </summary>
    public static async Task ExpireAccessTokenAsync(IServiceProvider services, string subject, CancellationToken cancellationToken = default)
    {
        var session = await SessionOfAsync(services, subject, cancellationToken);
        var tokens = session.Tokens ?? throw new InvalidOperationException($"The session of {subject} holds no tokens.");
        var store = services.GetRequiredService<IServerSessionStore>();
        if (!await store.UpdateTokensAsync(session.Key, tokens with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, cancellationToken))
        {
            throw new InvalidOperationException($"The session of {subject} ended before its access token could be expired.");
        }
    }
}
