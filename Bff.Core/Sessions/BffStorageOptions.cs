namespace Bff.Sessions;

/// <summary>The BFF's LiteDB database (<c>ConnectionStrings:Bff</c>). Relative paths are relative to the content root.</summary>
public sealed class BffStorageOptions
{
    /// <summary>The LiteDB connection string. Defaults to <c>Filename=data/bff.db</c>.</summary>
    public string ConnectionString { get; set; } = "Filename=data/bff.db";
}
