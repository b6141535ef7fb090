namespace Bff.Storage.PostgreSql.Users;

/// <summary>A user as stored in <c>bff.users</c>, with the normalized copies of the fields looked up case-insensitively.</summary>
internal sealed class UserRow
{
    public Guid Id { get; set; }

    public string? Issuer { get; set; }

    public string? Subject { get; set; }

    public string UserName { get; set; } = "";

    public string NormalizedUserName { get; set; } = "";

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? NormalizedEmail { get; set; }

    public bool EmailVerified { get; set; }

    public List<string> Roles { get; set; } = [];

    public List<string> Groups { get; set; } = [];

    public DateTimeOffset Created { get; set; }

    public DateTimeOffset? LastLogin { get; set; }
}
