namespace Bff.Api.Internal;

/// <summary>
/// A shared store that could not be reached, as the 503 names it to people and to the SPA: what it
/// holds and which engine, never its address or connection string.
/// </summary>
/// <param name="Id">The ProblemDetails' <c>store</c> member: <c>redis</c>, <c>postgresql</c> or <c>database</c>.</param>
/// <param name="Error">The ProblemDetails' <c>error</c> member.</param>
/// <param name="Title">The ProblemDetails' title.</param>
/// <param name="Description">What it is, in a sentence: "the session store (Redis)".</param>
internal sealed record UnavailableStore(string Id, string Error, string Title, string Description)
{
    public static readonly UnavailableStore Redis = new("redis", BffApiProblems.SessionStoreUnavailableError, "Session store unavailable", "the session store (Redis)");

    public static readonly UnavailableStore PostgreSql = new("postgresql", BffApiProblems.DatabaseUnavailableError, "Database unavailable", "the database of users and app data (PostgreSQL)");

    /// <summary>A database of another provider (an app's own EF Core context, say).</summary>
    public static readonly UnavailableStore Database = new("database", BffApiProblems.DatabaseUnavailableError, "Database unavailable", "the database of users and app data");
}
