namespace Bff.Configuration;

/// <summary>
/// Where the BFF keeps its data: the LiteDB database (<c>ConnectionStrings:Bff</c>) and the Data
/// Protection keys (<c>DataProtection:KeysPath</c>). Relative paths are relative to the content root.
/// </summary>
public sealed class BffStorageOptions
{
    /// <summary>The LiteDB connection string. Defaults to <c>Filename=data/bff.db</c>.</summary>
    public string ConnectionString { get; set; } = "Filename=data/bff.db";

    /// <summary>
    /// The folder where Data Protection keys persist, so that a restart or another instance can read
    /// the sessions. Defaults to <c>data/keys</c>.
    /// </summary>
    public string KeysPath { get; set; } = "data/keys";

    /// <summary>
    /// The Data Protection application name; instances sharing keys must share it. Defaults to <c>Bff</c>.
    /// </summary>
    public string ApplicationName { get; set; } = "Bff";
}
