namespace Bff.Login.Internal;

/// <summary>A login the BFF refused after the identity provider accepted it (for example an ambiguous user link).</summary>
internal sealed class BffLoginRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BffLoginRefusedException(string code, string message)
        : base(message) => Code = code;

    /// <summary>Creates the exception with the generic code.</summary>
    public BffLoginRefusedException()
        : this(LoginErrors.LoginFailed, "The login was refused.")
    {
    }

    /// <summary>Creates the exception with the generic code.</summary>
    public BffLoginRefusedException(string message)
        : this(LoginErrors.LoginFailed, message)
    {
    }

    /// <summary>Creates the exception with the generic code.</summary>
    public BffLoginRefusedException(string message, Exception innerException)
        : base(message, innerException) => Code = LoginErrors.LoginFailed;

    /// <summary>The error code (see <see cref="LoginErrors"/>).</summary>
    public string Code { get; } = LoginErrors.LoginFailed;
}
