using System.Runtime.CompilerServices;
using System.Text.Json;
using Bff.Api;
using Bff.Claims;
using Bff.Storage.PostgreSql;
using Bff.Web.Api.Notes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bff.Web.Api;

/// <summary>
/// The SPA's local API: the signed-in user's notes. A BFF API (cookie plus <c>X-CSRF: 1</c>, or a
/// bearer token); someone else's note is 404, as if it did not exist; bad input is 400 ProblemDetails.
/// </summary>
public static class NotesApi
{
    /// <summary>The longest title accepted.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The longest text accepted.</summary>
    public const int MaxTextLength = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Registers the notes store: LiteDB, or PostgreSQL in the users' database when
    /// <c>Bff:Storage:Users</c> is <c>PostgreSql</c> (read from <paramref name="configuration"/> now,
    /// as the user storage's registration reads it; on LiteDB nothing of EF Core is registered).
    /// </summary>
    public static IServiceCollection AddNotesApi(this IServiceCollection services, IConfiguration configuration)
    {
        if (UserStorageOptions.ChosenIn(configuration) == UserStorageKind.PostgreSql)
        {
            AddPostgreSqlNotes(services, configuration);
        }
        else
        {
            services.TryAddSingleton<INoteStore, LiteDbNoteStore>();
        }

        return services;
    }

    // A method of its own: naming NotesDbContext (an EF Core DbContext) loads EF Core, which an app on LiteDB must not pay for.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddPostgreSqlNotes(IServiceCollection services, IConfiguration configuration)
    {
        services.AddBffPostgreSqlContext<NotesDbContext>(configuration, NotesDbContext.Schema, NotesDbContext.MigrationsHistoryTable);
        services.TryAddSingleton<INoteStore, PostgreSqlNoteStore>();
    }

    /// <summary>Maps <c>/api/notes</c>.</summary>
    public static RouteGroupBuilder MapNotesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/notes").RequireBffApi().WithTags("Notes");
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return group;
    }

    internal static async Task<Results<Ok<List<NoteView>>, ProblemHttpResult>> ListAsync(HttpContext context, INoteStore store) =>
        Owner(context) is { } owner
            ? TypedResults.Ok((await store.ListAsync(owner, context.RequestAborted)).Select(NoteView.From).ToList())
            : NoOwner();

    internal static async Task<Results<Ok<NoteView>, ProblemHttpResult>> GetAsync(string id, HttpContext context, INoteStore store)
    {
        if (Owner(context) is not { } owner)
        {
            return NoOwner();
        }

        return Guid.TryParse(id, out var noteId) && await store.FindAsync(owner, noteId, context.RequestAborted) is { } note
            ? TypedResults.Ok(NoteView.From(note))
            : NotFound();
    }

    internal static async Task<Results<Created<NoteView>, ProblemHttpResult, ValidationProblem>> CreateAsync(HttpContext context, INoteStore store)
    {
        if (Owner(context) is not { } owner)
        {
            return NoOwner();
        }

        var (input, problem, invalid) = await ReadInputAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        if (invalid is not null)
        {
            return invalid;
        }

        var note = await store.CreateAsync(owner, input!.Title, input.Text, context.RequestAborted);
        return TypedResults.Created($"/api/notes/{note.Id:D}", NoteView.From(note));
    }

    internal static async Task<Results<Ok<NoteView>, ProblemHttpResult, ValidationProblem>> UpdateAsync(string id, HttpContext context, INoteStore store)
    {
        if (Owner(context) is not { } owner)
        {
            return NoOwner();
        }

        if (!Guid.TryParse(id, out var noteId) || await store.FindAsync(owner, noteId, context.RequestAborted) is null)
        {
            return NotFound();
        }

        var (input, problem, invalid) = await ReadInputAsync(context);
        if (problem is not null)
        {
            return problem;
        }

        if (invalid is not null)
        {
            return invalid;
        }

        return await store.UpdateAsync(owner, noteId, input!.Title, input.Text, context.RequestAborted) is { } note ? TypedResults.Ok(NoteView.From(note)) : NotFound();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext context, INoteStore store)
    {
        if (Owner(context) is not { } owner)
        {
            return NoOwner();
        }

        return Guid.TryParse(id, out var noteId) && await store.DeleteAsync(owner, noteId, context.RequestAborted) ? TypedResults.NoContent() : NotFound();
    }

    /// <summary>
    /// Reads and checks the body by hand: a malformed body, wrong JSON types or a missing field
    /// is the client's mistake and must be a 400 with a reason, never a 500 or an empty 400.
    /// </summary>
    private static async Task<(NoteInput? Input, ProblemHttpResult? Problem, ValidationProblem? Invalid)> ReadInputAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON required", detail: "Send the note as application/json."), null);
        }

        NoteRequest? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<NoteRequest>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: "The body must be a JSON object {\"title\": string, \"text\": string}."), null);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var title = input?.Title?.Trim() ?? "";
        var text = input?.Text ?? "";
        if (title.Length == 0)
        {
            errors["title"] = ["A title is required."];
        }
        else if (title.Length > MaxTitleLength)
        {
            errors["title"] = [$"The title may have at most {MaxTitleLength} characters."];
        }

        if (text.Length > MaxTextLength)
        {
            errors["text"] = [$"The text may have at most {MaxTextLength} characters."];
        }

        return errors.Count > 0
            ? (null, null, TypedResults.ValidationProblem(errors, title: "The note is not valid."))
            : (new NoteInput(title, text), null, null);
    }

    // The local user id the login (or the bearer token's user mapping) put on the principal: stable
    // across logins and the same for cookie and bearer calls.
    private static string? Owner(HttpContext context) => context.User.FindFirst(BffClaimTypes.UserId)?.Value;

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such note.");

    private static ProblemHttpResult NoOwner() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No local user", detail: "The signed-in user is not mapped to a local user.");

    private sealed record NoteInput(string Title, string Text);

    private sealed record NoteRequest(string? Title, string? Text);
}

/// <summary>A note as the API returns it.</summary>
/// <param name="Id">The note's id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Text">Its text.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it was last changed.</param>
public sealed record NoteView(Guid Id, string Title, string Text, DateTimeOffset Created, DateTimeOffset Updated)
{
    internal static NoteView From(Note note) => new(note.Id, note.Title, note.Text, note.Created, note.Updated);
}
