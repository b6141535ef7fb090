using Microsoft.EntityFrameworkCore;

namespace Bff.Storage.PostgreSql.Users;

/// <summary>
/// The BFF's users in PostgreSQL: table <c>bff.users</c>, its migrations recorded in
/// <c>bff.__users_migrations</c> so that an app's own EF Core contexts in the same database keep
/// their own history.
/// </summary>
public sealed class BffUsersDbContext(DbContextOptions<BffUsersDbContext> options) : DbContext(options)
{
    /// <summary>The schema of the BFF's tables.</summary>
    public const string Schema = "bff";

    /// <summary>The migrations history table, in <see cref="Schema"/>.</summary>
    public const string MigrationsHistoryTable = "__users_migrations";

    /// <summary>The unique index on (issuer, subject): one local user per identity-provider account.</summary>
    public const string AccountIndex = "ux_users_issuer_subject";

    internal DbSet<UserRow> Users => Set<UserRow>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(Schema);
        var user = modelBuilder.Entity<UserRow>();
        user.ToTable("users");
        user.HasKey(u => u.Id).HasName("pk_users");
        user.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
        user.Property(u => u.Issuer).HasColumnName("issuer");
        user.Property(u => u.Subject).HasColumnName("subject");
        user.Property(u => u.UserName).HasColumnName("user_name");
        user.Property(u => u.NormalizedUserName).HasColumnName("normalized_user_name");
        user.Property(u => u.FirstName).HasColumnName("first_name");
        user.Property(u => u.LastName).HasColumnName("last_name");
        user.Property(u => u.Email).HasColumnName("email");
        user.Property(u => u.NormalizedEmail).HasColumnName("normalized_email");
        user.Property(u => u.EmailVerified).HasColumnName("email_verified");
        user.Property(u => u.Roles).HasColumnName("roles");
        user.Property(u => u.Groups).HasColumnName("groups");
        user.Property(u => u.Created).HasColumnName("created");
        user.Property(u => u.LastLogin).HasColumnName("last_login");

        // Important: this index, not a lock, is what keeps two instances from creating two users for
        // one account. PostgreSQL treats NULLs as distinct in a unique index, so any number of
        // imported users not linked yet (no issuer, no subject) can exist beside it.
        user.HasIndex(u => new { u.Issuer, u.Subject }).IsUnique().HasDatabaseName(AccountIndex);

        // Not unique: the identity provider may let two accounts share an email address, and several
        // imported users may share one (the mapper then refuses to pick, see LinkExistingBy).
        user.HasIndex(u => u.NormalizedEmail).HasDatabaseName("ix_users_normalized_email");
        user.HasIndex(u => u.NormalizedUserName).HasDatabaseName("ix_users_normalized_user_name");
    }
}
