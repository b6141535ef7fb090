namespace Bff.DevIdp.Realms;

/// <summary>A realm file or setting the DevIdp cannot start with; the message names the file and the problem.</summary>
public sealed class DevIdpConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DevIdpConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DevIdpConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DevIdpConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
