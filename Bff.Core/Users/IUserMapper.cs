namespace Bff.Users;

/// <summary>
/// Maps a successful identity-provider login to a local user: creates, updates or links one.
/// Replace it by registering your own before <c>AddBff</c> (it is added with TryAdd), the way the
/// seed replaced mozilla-django-oidc's authentication backend.
/// </summary>
public interface IUserMapper
{
    /// <summary>
    /// Maps the login. A failure refuses the login; the person sees a page explaining
    /// <see cref="UserMappingResult.Error"/>.
    /// </summary>
    Task<UserMappingResult> MapAsync(UserLoginInfo login, CancellationToken cancellationToken = default);
}

/// <summary>What the identity provider says about the person signing in (from validated tokens).</summary>
/// <param name="Issuer">The issuer that authenticated the user.</param>
/// <param name="Subject">The user's <c>sub</c>.</param>
/// <param name="UserName">The <c>preferred_username</c> (falls back to <c>sub</c> when absent).</param>
/// <param name="FirstName">The <c>given_name</c>.</param>
/// <param name="LastName">The <c>family_name</c>.</param>
/// <param name="Email">The <c>email</c>.</param>
/// <param name="EmailVerified">The <c>email_verified</c> flag.</param>
/// <param name="Roles">Realm and client role names.</param>
/// <param name="Groups">Group paths as given.</param>
public sealed record UserLoginInfo(
    string Issuer,
    string Subject,
    string UserName,
    string? FirstName,
    string? LastName,
    string? Email,
    bool EmailVerified,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Groups);

/// <summary>The outcome of <see cref="IUserMapper.MapAsync"/>.</summary>
public sealed record UserMappingResult
{
    private UserMappingResult()
    {
    }

    /// <summary>The mapped user, when <see cref="Succeeded"/>.</summary>
    public BffUser? User { get; private init; }

    /// <summary>
    /// A stable error code when the login is refused; the error page gets it as <c>?error=</c>, so use
    /// one of <see cref="Login.LoginErrors"/> (such as <see cref="Login.LoginErrors.AmbiguousUser"/>) or a
    /// code of the app's own error page.
    /// </summary>
    public string? Error { get; private init; }

    /// <summary>A description for logs (never shown with personal data to other people).</summary>
    public string? Description { get; private init; }

    /// <summary>Whether the login may go on.</summary>
    public bool Succeeded => User is not null;

    /// <summary>A successful mapping.</summary>
    public static UserMappingResult Success(BffUser user) => new() { User = user ?? throw new ArgumentNullException(nameof(user)) };

    /// <summary>A refused login.</summary>
    public static UserMappingResult Failure(string error, string description) => new() { Error = error, Description = description };
}
