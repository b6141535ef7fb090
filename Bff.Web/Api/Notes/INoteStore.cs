namespace Bff.Web.Api.Notes;

/// <summary>A note of one owner.</summary>
/// <param name="Id">The note's id.</param>
/// <param name="OwnerId">The local user id (<c>bff_user_id</c>) of the owner.</param>
/// <param name="Title">Its title.</param>
/// <param name="Text">Its text.</param>
/// <param name="Created">When it was created (UTC).</param>
/// <param name="Updated">When it was last changed (UTC).</param>
internal sealed record Note(Guid Id, string OwnerId, string Title, string Text, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>
/// The notes of every user; every operation is scoped to an owner, so another owner's note is as
/// absent as a note that does not exist. LiteDB for one instance, PostgreSQL for several (it follows
/// <c>Bff:Storage:Users</c>, in the users' database).
/// </summary>
internal interface INoteStore
{
    /// <summary>The owner's notes, the most recently changed first.</summary>
    Task<IReadOnlyList<Note>> ListAsync(string ownerId, CancellationToken cancellationToken);

    /// <summary>The note, or <see langword="null"/> when it does not exist or belongs to someone else.</summary>
    Task<Note?> FindAsync(string ownerId, Guid id, CancellationToken cancellationToken);

    /// <summary>Creates a note.</summary>
    Task<Note> CreateAsync(string ownerId, string title, string text, CancellationToken cancellationToken);

    /// <summary>Changes a note; <see langword="null"/> when it does not exist or belongs to someone else.</summary>
    Task<Note?> UpdateAsync(string ownerId, Guid id, string title, string text, CancellationToken cancellationToken);

    /// <summary>Deletes a note; false when it does not exist or belongs to someone else.</summary>
    Task<bool> DeleteAsync(string ownerId, Guid id, CancellationToken cancellationToken);
}
