using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Users.Internal;

/// <summary>
/// The default <see cref="IUserMapper"/>: find the user by (issuer, sub); otherwise link an
/// unlinked imported user as <see cref="BffUserOptions.LinkExistingBy"/> says (names and emails
/// compared by <see cref="UserNameFolding"/>); otherwise create one.
/// </summary>
internal sealed class DefaultUserMapper(
    IUserStore users,
    IOptionsMonitor<UserSettings> options,
    TimeProvider time,
    ILogger<DefaultUserMapper> logger) : IUserMapper, IDisposable
{
    // Two first logins of one account at once (two tabs) must not create two users.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<UserMappingResult> MapAsync(UserLoginInfo login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The gate serializes this process only. Another instance can link the same imported
            // user between our read and our write; the store then refuses the write and the login is
            // mapped again from what is stored now (a few rounds at most: each loss means a row changed).
            for (var round = 1; ; round++)
            {
                try
                {
                    return await MapOnceAsync(login, cancellationToken).ConfigureAwait(false);
                }
                catch (UserConflictException) when (round < 3)
                {
                    logger.UserMappingConflict(login.Subject, round);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<UserMappingResult> MapOnceAsync(UserLoginInfo login, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await users.FindBySubjectAsync(login.Issuer, login.Subject, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            var (linked, failure) = await FindLinkCandidateAsync(login, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            user = linked ?? new BffUser { UserName = login.UserName, Created = now };
            if (linked is not null)
            {
                logger.UserLinked(linked.Id, login.Subject);
            }
        }

        var updated = await users.SaveAsync(Apply(user, login, now), cancellationToken).ConfigureAwait(false);
        return UserMappingResult.Success(updated);
    }

    private static BffUser Apply(BffUser user, UserLoginInfo login, DateTimeOffset now) => user with
    {
        Issuer = login.Issuer,
        Subject = login.Subject,
        UserName = login.UserName,
        FirstName = login.FirstName,
        LastName = login.LastName,
        Email = login.Email,
        EmailVerified = login.EmailVerified,
        Roles = login.Roles,
        Groups = login.Groups,
        LastLogin = now,
    };

    private async Task<(BffUser? User, UserMappingResult? Failure)> FindLinkCandidateAsync(UserLoginInfo login, CancellationToken cancellationToken)
    {
        var mode = options.CurrentValue.Users.LinkExistingBy;
        if (mode == UserLinkMode.None)
        {
            return (null, null);
        }

        // Important: an unverified email proves nothing about who owns it; linking on it would hand
        // an imported account to whoever typed that address at the identity provider.
        if (login.EmailVerified && !string.IsNullOrWhiteSpace(login.Email))
        {
            var byEmail = Unlinked(await users.FindByEmailAsync(login.Email, cancellationToken).ConfigureAwait(false));
            if (byEmail.Count > 1)
            {
                return (null, Ambiguous(login, "email", byEmail.Count));
            }

            if (byEmail.Count == 1)
            {
                return (byEmail[0], null);
            }
        }

        if (mode == UserLinkMode.EmailThenUsername)
        {
            // Important: a user name proves nothing by itself. Where self-registration is on (or the
            // user name is a typed, unverified email), anyone can register an imported user's name and
            // take over its data. It links only with proof: the provider's verified email equals the
            // imported one too, or an administrator opened a one-time migration window.
            var migrationOpen = options.CurrentValue.Users.UserNameLinkingUntil is { } until && time.GetUtcNow() < until;
            var byName = Unlinked(await users.FindByUserNameAsync(login.UserName, cancellationToken).ConfigureAwait(false))
                .Where(u => migrationOpen || (login.EmailVerified && UserNameFolding.Same(u.Email, login.Email)))
                .ToList();
            if (byName.Count > 1)
            {
                return (null, Ambiguous(login, "user name", byName.Count));
            }

            if (byName.Count == 1)
            {
                return (byName[0], null);
            }
        }

        return (null, null);
    }

    private UserMappingResult Ambiguous(UserLoginInfo login, string by, int count)
    {
        logger.AmbiguousLink(login.Subject, by, count);
        return UserMappingResult.Failure(UserMappingErrors.AmbiguousLink, $"{count} unlinked local users match by {by}; refusing to pick one.");
    }

    // Only users imported without an identity-provider account can be linked; a linked user belongs to its account.
    private static List<BffUser> Unlinked(IReadOnlyList<BffUser> candidates) =>
        [.. candidates.Where(u => u.Issuer is null && u.Subject is null)];
}
