using LiteDB;

namespace Bff.Users.Internal;

/// <summary>A user as stored in LiteDB, with normalized copies of the fields looked up case-insensitively.</summary>
internal sealed class UserDocument
{
    [BsonId]
    public Guid Id { get; set; }

    public string? Issuer { get; set; }

    public string? Subject { get; set; }

    /// <summary>"issuer|subject", unique, for the (issuer, sub) key; null for unlinked users.</summary>
    public string? ExternalKey { get; set; }

    public string UserName { get; set; } = "";

    public string NormalizedUserName { get; set; } = "";

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? NormalizedEmail { get; set; }

    public bool EmailVerified { get; set; }

    public List<string> Roles { get; set; } = [];

    public List<string> Groups { get; set; } = [];

    public DateTime Created { get; set; }

    public DateTime? LastLogin { get; set; }
}
