using Bff.Sessions;
using LiteDB;

namespace Bff.Web.Api.Notes;

/// <summary>A note as stored in LiteDB.</summary>
internal sealed class NoteDocument
{
    public Guid Id { get; set; }

    /// <summary>The local user id (<c>bff_user_id</c>) of the owner.</summary>
    public string OwnerId { get; set; } = "";

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}

/// <summary>The notes in the BFF's one LiteDB database (one instance).</summary>
internal sealed class LiteDbNoteStore : INoteStore
{
    private readonly ILiteCollection<NoteDocument> notes;
    private readonly TimeProvider time;

    public LiteDbNoteStore(BffDatabase database, TimeProvider time)
    {
        notes = database.GetAppCollection<NoteDocument>("notes");
        notes.EnsureIndex(n => n.OwnerId);
        this.time = time;
    }

    public Task<IReadOnlyList<Note>> ListAsync(string ownerId, CancellationToken cancellationToken)
    {
        // Note: a query built from values, not a lambda. LiteDB translates a lambda anew on every
        // call (and compiles parts of it), which showed up in the benchmark's profile.
        return Task.FromResult<IReadOnlyList<Note>>(
            [.. notes.Find(Query.EQ(nameof(NoteDocument.OwnerId), ownerId)).OrderByDescending(n => n.Updated).Select(ToNote)]);
    }

    public Task<Note?> FindAsync(string ownerId, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(FindDocument(ownerId, id) is { } note ? ToNote(note) : null);

    public Task<Note> CreateAsync(string ownerId, string title, string text, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var note = new NoteDocument { Id = Guid.NewGuid(), OwnerId = ownerId, Title = title, Text = text, Created = now, Updated = now };
        notes.Insert(note);
        return Task.FromResult(ToNote(note));
    }

    public Task<Note?> UpdateAsync(string ownerId, Guid id, string title, string text, CancellationToken cancellationToken)
    {
        var note = FindDocument(ownerId, id);
        if (note is null)
        {
            return Task.FromResult<Note?>(null);
        }

        note.Title = title;
        note.Text = text;
        note.Updated = time.GetUtcNow().UtcDateTime;
        notes.Update(note);
        return Task.FromResult<Note?>(ToNote(note));
    }

    public Task<bool> DeleteAsync(string ownerId, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(FindDocument(ownerId, id) is not null && notes.Delete(id));

    private NoteDocument? FindDocument(string ownerId, Guid id)
    {
        var note = notes.FindById(id);
        return note is not null && string.Equals(note.OwnerId, ownerId, StringComparison.Ordinal) ? note : null;
    }

    private static Note ToNote(NoteDocument note) => new(
        note.Id,
        note.OwnerId,
        note.Title,
        note.Text,
        new DateTimeOffset(DateTime.SpecifyKind(note.Created, DateTimeKind.Utc)),
        new DateTimeOffset(DateTime.SpecifyKind(note.Updated, DateTimeKind.Utc)));
}
