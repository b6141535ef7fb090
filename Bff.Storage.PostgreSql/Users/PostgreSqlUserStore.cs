using Bff.Users;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bff.Storage.PostgreSql.Users;

/// <summary>
/// <see cref="IUserStore"/> on PostgreSQL through EF Core, safe with several BFF instances on one
/// database: the unique index on (issuer, subject) makes a second user for one account impossible,
/// and a save that loses that race returns the row the winner created.
/// </summary>
internal sealed class PostgreSqlUserStore(IDbContextFactory<BffUsersDbContext> contexts) : IUserStore
{
    private const string UniqueViolation = "23505";

    public async Task<BffUser?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToUser(row);
    }

    public async Task<BffUser?> FindBySubjectAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Issuer == issuer && u.Subject == subject, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToUser(row);
    }

    public async Task<IReadOnlyList<BffUser>> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = UserNameFolding.Fold(email);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToUser)];
    }

    public async Task<IReadOnlyList<BffUser>> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default)
    {
        var normalized = UserNameFolding.Fold(userName);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToUser)];
    }

    public async Task<IReadOnlyList<BffUser>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Users.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        // Sorted here, ordinally, as the LiteDB store does: the database's collation may order differently.
        return [.. rows.OrderBy(u => u.NormalizedUserName, StringComparer.Ordinal).Select(ToUser)];
    }

    public async Task<BffUser> SaveAsync(BffUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var row = ToRow(user.Id == Guid.Empty ? user with { Id = Guid.NewGuid() } : user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Two rounds at most: an insert that collides with a concurrent insert of the same id becomes an update.
        for (var round = 0; ; round++)
        {
            try
            {
                if (user.Id != Guid.Empty && await UpdateAsync(db, row, cancellationToken).ConfigureAwait(false))
                {
                    return ToUser(row);
                }

                db.Users.Add(row);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return ToUser(row);
            }
            catch (Exception e) when (IsUniqueViolation(e, BffUsersDbContext.AccountIndex) && row.Issuer is not null && row.Subject is not null)
            {
                // Another instance (or request) created the user of this account first: that row is
                // the user, and the caller gets it instead of a second one.
                db.ChangeTracker.Clear();
                return await FindBySubjectAsync(row.Issuer, row.Subject, cancellationToken).ConfigureAwait(false)
                    ?? throw new UserConflictException("The account's user was deleted while it was being created.", e);
            }
            catch (Exception e) when (IsUniqueViolation(e, "pk_users") && round == 0)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Overwrites the row with the same id, unless it was linked meanwhile to another account than
    /// the one being saved (a linked user belongs to its account). False when no row has the id.
    /// </summary>
    private static async Task<bool> UpdateAsync(BffUsersDbContext db, UserRow row, CancellationToken cancellationToken)
    {
        var issuer = row.Issuer;
        var subject = row.Subject;
        var updated = await db.Users
            .Where(u => u.Id == row.Id && (issuer == null || u.Issuer == null || (u.Issuer == issuer && u.Subject == subject)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.Issuer, row.Issuer)
                .SetProperty(u => u.Subject, row.Subject)
                .SetProperty(u => u.UserName, row.UserName)
                .SetProperty(u => u.NormalizedUserName, row.NormalizedUserName)
                .SetProperty(u => u.FirstName, row.FirstName)
                .SetProperty(u => u.LastName, row.LastName)
                .SetProperty(u => u.Email, row.Email)
                .SetProperty(u => u.NormalizedEmail, row.NormalizedEmail)
                .SetProperty(u => u.EmailVerified, row.EmailVerified)
                .SetProperty(u => u.Roles, row.Roles)
                .SetProperty(u => u.Groups, row.Groups)
                .SetProperty(u => u.Created, row.Created)
                .SetProperty(u => u.LastLogin, row.LastLogin),
                cancellationToken)
            .ConfigureAwait(false);
        if (updated == 1)
        {
            return true;
        }

        return await db.Users.AnyAsync(u => u.Id == row.Id, cancellationToken).ConfigureAwait(false)
            ? throw new UserConflictException("The user was linked to another identity-provider account meanwhile.")
            : false;
    }

    private static bool IsUniqueViolation(Exception e, string constraint) =>
        (e as PostgresException ?? e.InnerException as PostgresException) is { SqlState: UniqueViolation } violation
        && string.Equals(violation.ConstraintName, constraint, StringComparison.Ordinal);

    // PostgreSQL keeps timestamps to the microsecond; the saved user is returned as a read would return it.
    private static DateTimeOffset Microseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private static UserRow ToRow(BffUser user) => new()
    {
        Id = user.Id,
        Issuer = user.Issuer,
        Subject = user.Subject,
        UserName = user.UserName,
        NormalizedUserName = UserNameFolding.Fold(user.UserName),
        FirstName = user.FirstName,
        LastName = user.LastName,
        Email = user.Email,
        NormalizedEmail = string.IsNullOrWhiteSpace(user.Email) ? null : UserNameFolding.Fold(user.Email),
        EmailVerified = user.EmailVerified,
        Roles = [.. user.Roles],
        Groups = [.. user.Groups],
        Created = Microseconds(user.Created),
        LastLogin = user.LastLogin is { } lastLogin ? Microseconds(lastLogin) : null,
    };

    private static BffUser ToUser(UserRow row) => new()
    {
        Id = row.Id,
        Issuer = row.Issuer,
        Subject = row.Subject,
        UserName = row.UserName,
        FirstName = row.FirstName,
        LastName = row.LastName,
        Email = row.Email,
        EmailVerified = row.EmailVerified,
        Roles = [.. row.Roles],
        Groups = [.. row.Groups],
        Created = row.Created.ToUniversalTime(),
        LastLogin = row.LastLogin?.ToUniversalTime(),
    };
}
