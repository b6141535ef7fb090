namespace Bff.DevIdp.Realms;

/// <summary>
/// Something in a realm file the DevIdp cannot serve faithfully, at a JSON path of that file. The loader turns it
/// into a <see cref="DevIdpConfigurationException"/> naming the file, so start-up fails instead of a later login.
/// </summary>
internal sealed class RealmDataException : Exception
{
    public RealmDataException()
    {
    }

    public RealmDataException(string message)
        : base(message)
    {
    }

    public RealmDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RealmDataException(string jsonPath, string reason, Exception? innerException = null)
        : base(reason, innerException)
    {
        JsonPath = jsonPath;
    }

    /// <summary>Where in the file, e.g. <c>$.users[3].credentials[0].credentialData</c>.</summary>
    public string JsonPath { get; } = "$";

    /// <summary>The file it is in, once known.</summary>
    public string? File { get; init; }
}
