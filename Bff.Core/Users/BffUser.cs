namespace Bff.Users;

/// <summary>A local user: the BFF's copy of an identity-provider user, or a row imported before it.</summary>
public sealed record BffUser
{
    /// <summary>The local id (stable across logins; use it as the owner id of app data).</summary>
    public Guid Id { get; init; }

    /// <summary>The issuer the user signs in at; <see langword="null"/> for an imported user not linked yet.</summary>
    public string? Issuer { get; init; }

    /// <summary>The user's <c>sub</c> at <see cref="Issuer"/>; <see langword="null"/> for an imported user not linked yet.</summary>
    public string? Subject { get; init; }

    /// <summary>The user name, from <c>preferred_username</c>.</summary>
    public required string UserName { get; init; }

    /// <summary>The first name, from <c>given_name</c>.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name, from <c>family_name</c>.</summary>
    public string? LastName { get; init; }

    /// <summary>The email address.</summary>
    public string? Email { get; init; }

    /// <summary>Whether the identity provider verified <see cref="Email"/>.</summary>
    public bool EmailVerified { get; init; }

    /// <summary>The role names at the last login (realm and client roles).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The group paths at the last login.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>When the local user was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the user last signed in; <see langword="null"/> for an imported user who never did.</summary>
    public DateTimeOffset? LastLogin { get; init; }
}
