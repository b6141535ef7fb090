using Microsoft.EntityFrameworkCore;

namespace Bff.Web.Api.Notes;

/// <summary>The notes in PostgreSQL, shared by every instance; each statement is scoped to the owner.</summary>
internal sealed class PostgreSqlNoteStore(IDbContextFactory<NotesDbContext> contexts, TimeProvider time) : INoteStore
{
    public async Task<IReadOnlyList<Note>> ListAsync(string ownerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Notes.AsNoTracking().Where(n => n.OwnerId == ownerId).OrderByDescending(n => n.Updated).ToListAsync(cancellationToken);
        return [.. rows.Select(ToNote)];
    }

    public async Task<Note?> FindAsync(string ownerId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Notes.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id && n.OwnerId == ownerId, cancellationToken);
        return row is null ? null : ToNote(row);
    }

    public async Task<Note> CreateAsync(string ownerId, string title, string text, CancellationToken cancellationToken)
    {
        var now = Microseconds(time.GetUtcNow());
        var row = new NoteRow { Id = Guid.NewGuid(), OwnerId = ownerId, Title = title, Text = text, Created = now, Updated = now };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Notes.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToNote(row);
    }

    public async Task<Note?> UpdateAsync(string ownerId, Guid id, string title, string text, CancellationToken cancellationToken)
    {
        var now = Microseconds(time.GetUtcNow());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var updated = await db.Notes
            .Where(n => n.Id == id && n.OwnerId == ownerId)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.Title, title).SetProperty(n => n.Text, text).SetProperty(n => n.Updated, now), cancellationToken);
        return updated == 0 ? null : await FindAsync(ownerId, id, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string ownerId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Notes.Where(n => n.Id == id && n.OwnerId == ownerId).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    // PostgreSQL keeps timestamps to the microsecond; what is returned is what a read returns.
    private static DateTimeOffset Microseconds(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private static Note ToNote(NoteRow row) => new(row.Id, row.OwnerId, row.Title, row.Text, row.Created.ToUniversalTime(), row.Updated.ToUniversalTime());
}
