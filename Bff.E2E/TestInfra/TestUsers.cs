namespace Bff.E2E.TestInfra;

/// <summary>A realm user of <c>realm/bff-realm.json</c>.</summary>
public sealed record TestUser(string Username, string Password, string FirstName, string LastName);

/// <summary>The users of <c>realm/bff-realm.json</c> the journeys sign in with (the README lists them).</summary>
public static class TestUsers
{
    /// <summary>Admin and user, email verified.</summary>
    public static TestUser Alice { get; } = new("alice", "alice-password", "Alice", "Anderson");

    /// <summary>A plain user, email verified.</summary>
    public static TestUser Bob { get; } = new("bob", "bob-password", "Bob", "Brown");
}
