namespace Bff.Users;

/// <summary>
/// Thrown by an <see cref="IUserStore"/> when a save lost a race it cannot resolve by itself: the
/// user it would update was linked to another identity-provider account meanwhile (by another
/// instance). The mapper then maps the login again from what is stored now.
/// </summary>
public sealed class UserConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UserConflictException()
        : this("The user was changed by someone else meanwhile.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What conflicted.</param>
    public UserConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What conflicted.</param>
    /// <param name="innerException">The store's own error.</param>
    public UserConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
