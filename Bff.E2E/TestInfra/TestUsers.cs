namespace Bff.E2E.TestInfra;

/// <summary>A realm user of <c>realm/bff-realm.json</c>; <see cref="Id"/> is the token's <c>sub</c>.</summary>
public sealed record TestUser(string Id, string Username, string Password, string FirstName, string LastName);

/// <summary>The users of <c>realm/bff-realm.json</c> the journeys sign in with (the README lists them).</summary>
public static class TestUsers
{
    /// <summary>Admin and user, email verified.</summary>
    public static TestUser Alice { get; } = new("6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a01", "alice", "alice-password", "Alice", "Anderson");

    /// <summary>A plain user, email verified.</summary>
    public static TestUser Bob { get; } = new("6c1f0a3e-5d7b-4c1a-9a61-0f3c2b9d0a02", "bob", "bob-password", "Bob", "Brown");
}
