namespace Bff.Users;

/// <summary>Reads and writes local users. The default keeps them in the BFF's LiteDB database.</summary>
public interface IUserStore
{
    /// <summary>Reads a user by local id.</summary>
    Task<BffUser?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Reads the user linked to an identity-provider account.</summary>
    Task<BffUser?> FindBySubjectAsync(string issuer, string subject, CancellationToken cancellationToken = default);

    /// <summary>Lists users whose email matches under <see cref="UserNameFolding.Fold"/> (ASCII case only).</summary>
    Task<IReadOnlyList<BffUser>> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Lists users whose user name matches under <see cref="UserNameFolding.Fold"/> (ASCII case only).</summary>
    Task<IReadOnlyList<BffUser>> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>Lists all users, ordered by user name.</summary>
    Task<IReadOnlyList<BffUser>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or replaces a user by <see cref="BffUser.Id"/>; an empty id gets a new one.
    /// Returns the stored user.
    /// </summary>
    Task<BffUser> SaveAsync(BffUser user, CancellationToken cancellationToken = default);
}
