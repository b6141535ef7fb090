using Bff.Configuration;
using LiteDB;

namespace Bff.Web.Api;

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

/// <summary>The notes of every user, in the BFF's one LiteDB database; every query is scoped to an owner.</summary>
internal sealed class NoteStore
{
    private readonly ILiteCollection<NoteDocument> notes;
    private readonly TimeProvider time;

    public NoteStore(BffDatabase database, TimeProvider time)
    {
        notes = database.Database.GetCollection<NoteDocument>("notes");
        notes.EnsureIndex(n => n.OwnerId);
        this.time = time;
    }

    public IReadOnlyList<NoteDocument> List(string ownerId)
    {
        // Note: a query built from values, not a lambda. LiteDB translates a lambda anew on every
        // call (and compiles parts of it), which showed up in the benchmark's profile.
        return notes.Find(Query.EQ(nameof(NoteDocument.OwnerId), ownerId)).OrderByDescending(n => n.Updated).ToList();
    }

    /// <summary>The note, or <see langword="null"/> when it does not exist or belongs to someone else.</summary>
    public NoteDocument? Find(string ownerId, Guid id)
    {
        var note = notes.FindById(id);
        return note is not null && string.Equals(note.OwnerId, ownerId, StringComparison.Ordinal) ? note : null;
    }

    public NoteDocument Create(string ownerId, string title, string text)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var note = new NoteDocument { Id = Guid.NewGuid(), OwnerId = ownerId, Title = title, Text = text, Created = now, Updated = now };
        notes.Insert(note);
        return note;
    }

    public NoteDocument? Update(string ownerId, Guid id, string title, string text)
    {
        var note = Find(ownerId, id);
        if (note is null)
        {
            return null;
        }

        note.Title = title;
        note.Text = text;
        note.Updated = time.GetUtcNow().UtcDateTime;
        notes.Update(note);
        return note;
    }

    public bool Delete(string ownerId, Guid id) => Find(ownerId, id) is not null && notes.Delete(id);
}
