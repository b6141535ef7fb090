using Microsoft.EntityFrameworkCore;

namespace Bff.Web.Api.Notes;

/// <summary>
/// The sample app's notes in PostgreSQL: table <c>app.notes</c>, in the users' database
/// (<c>ConnectionStrings:Users</c>), with its own migrations history (<c>app.__notes_migrations</c>)
/// beside the BFF's.
/// </summary>
internal sealed class NotesDbContext(DbContextOptions<NotesDbContext> options) : DbContext(options)
{
    public const string Schema = "app";

    public const string MigrationsHistoryTable = "__notes_migrations";

    public DbSet<NoteRow> Notes => Set<NoteRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        var note = modelBuilder.Entity<NoteRow>();
        note.ToTable("notes");
        note.HasKey(n => n.Id).HasName("pk_notes");
        note.Property(n => n.Id).HasColumnName("id").ValueGeneratedNever();
        note.Property(n => n.OwnerId).HasColumnName("owner_id");
        note.Property(n => n.Title).HasColumnName("title").HasMaxLength(NotesApi.MaxTitleLength);
        note.Property(n => n.Text).HasColumnName("text").HasMaxLength(NotesApi.MaxTextLength);
        note.Property(n => n.Created).HasColumnName("created");
        note.Property(n => n.Updated).HasColumnName("updated");
        // Every query is one owner's notes, newest change first.
        note.HasIndex(n => new { n.OwnerId, n.Updated }).IsDescending(false, true).HasDatabaseName("ix_notes_owner_updated");
    }
}

/// <summary>A note as stored in <c>app.notes</c>.</summary>
internal sealed class NoteRow
{
    public Guid Id { get; set; }

    public string OwnerId { get; set; } = "";

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset Updated { get; set; }
}
