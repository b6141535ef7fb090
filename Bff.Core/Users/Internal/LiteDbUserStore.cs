using Bff.Sessions;
using LiteDB;

namespace Bff.Users.Internal;

/// <summary>The default <see cref="IUserStore"/> over the BFF's LiteDB database.</summary>
internal sealed class LiteDbUserStore : IUserStore
{
    internal const string CollectionName = "users";
    private readonly ILiteCollection<UserDocument> _users;

    public LiteDbUserStore(BffDatabase database)
    {
        _users = database.Database.GetCollection<UserDocument>(CollectionName);
        // Unique: one local user per identity-provider account. LiteDB skips nulls in no index,
        // so unlinked users get a null key and the uniqueness is checked by the mapper as well.
        _users.EnsureIndex(u => u.ExternalKey);
        _users.EnsureIndex(u => u.NormalizedEmail);
        _users.EnsureIndex(u => u.NormalizedUserName);
        RefoldEarlierUsers();
    }

    /// <summary>
    /// Users saved before folding became ASCII-only carry <c>ToUpperInvariant</c> values, which differ
    /// from today's only where a name or email holds non-ASCII letters: those are folded again, so
    /// lookups keep finding them.
    /// </summary>
    private void RefoldEarlierUsers()
    {
        foreach (var document in _users.FindAll().ToList())
        {
            var userName = Normalize(document.UserName);
            var email = string.IsNullOrWhiteSpace(document.Email) ? null : Normalize(document.Email);
            if (!string.Equals(userName, document.NormalizedUserName, StringComparison.Ordinal) || !string.Equals(email, document.NormalizedEmail, StringComparison.Ordinal))
            {
                document.NormalizedUserName = userName;
                document.NormalizedEmail = email;
                _users.Update(document);
            }
        }
    }

    public Task<BffUser?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_users.FindById(id) is { } document ? ToUser(document) : null);

    public Task<BffUser?> FindBySubjectAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        var key = ExternalKey(issuer, subject);
        return Task.FromResult(_users.FindOne(Query.EQ(nameof(UserDocument.ExternalKey), key)) is { } document ? ToUser(document) : null);
    }

    public Task<IReadOnlyList<BffUser>> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(email);
        // Note: LiteDB's collation compares strings culture-aware and ignoring case, which equates
        // look-alikes such as U+017F and S; only the ordinal comparison after it decides.
        return Task.FromResult<IReadOnlyList<BffUser>>([.. _users.Find(Query.EQ(nameof(UserDocument.NormalizedEmail), normalized))
            .Where(u => string.Equals(u.NormalizedEmail, normalized, StringComparison.Ordinal))
            .Select(ToUser)]);
    }

    public Task<IReadOnlyList<BffUser>> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(userName);
        return Task.FromResult<IReadOnlyList<BffUser>>([.. _users.Find(Query.EQ(nameof(UserDocument.NormalizedUserName), normalized))
            .Where(u => string.Equals(u.NormalizedUserName, normalized, StringComparison.Ordinal))
            .Select(ToUser)]);
    }

    public Task<IReadOnlyList<BffUser>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BffUser>>([.. _users.FindAll().OrderBy(u => u.NormalizedUserName, StringComparer.Ordinal).Select(ToUser)]);

    public Task<BffUser> SaveAsync(BffUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var document = ToDocument(user.Id == Guid.Empty ? user with { Id = Guid.NewGuid() } : user);
        _users.Upsert(document);
        // What was stored, as a read would return it (LiteDB keeps dates to the millisecond).
        return Task.FromResult(ToUser(document));
    }

    private static DateTime Milliseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    internal static string ExternalKey(string issuer, string subject) => issuer + "|" + subject;

    internal static string Normalize(string value) => UserNameFolding.Fold(value);

    private static UserDocument ToDocument(BffUser user) => new()
    {
        Id = user.Id,
        Issuer = user.Issuer,
        Subject = user.Subject,
        ExternalKey = user.Issuer is not null && user.Subject is not null ? ExternalKey(user.Issuer, user.Subject) : null,
        UserName = user.UserName,
        NormalizedUserName = Normalize(user.UserName),
        FirstName = user.FirstName,
        LastName = user.LastName,
        Email = user.Email,
        NormalizedEmail = string.IsNullOrWhiteSpace(user.Email) ? null : Normalize(user.Email),
        EmailVerified = user.EmailVerified,
        Roles = [.. user.Roles],
        Groups = [.. user.Groups],
        Created = Milliseconds(user.Created.UtcDateTime),
        LastLogin = user.LastLogin is { } lastLogin ? Milliseconds(lastLogin.UtcDateTime) : null,
    };

    private static BffUser ToUser(UserDocument document) => new()
    {
        Id = document.Id,
        Issuer = document.Issuer,
        Subject = document.Subject,
        UserName = document.UserName,
        FirstName = document.FirstName,
        LastName = document.LastName,
        Email = document.Email,
        EmailVerified = document.EmailVerified,
        Roles = document.Roles,
        Groups = document.Groups,
        Created = new DateTimeOffset(document.Created.ToUniversalTime(), TimeSpan.Zero),
        LastLogin = document.LastLogin is { } lastLogin ? new DateTimeOffset(lastLogin.ToUniversalTime(), TimeSpan.Zero) : null,
    };
}
