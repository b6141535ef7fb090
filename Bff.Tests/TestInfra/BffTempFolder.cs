namespace Bff.Tests.TestInfra;

/// <summary>A fresh folder under the temp directory for one test's database and keys, deleted afterwards.</summary>
public sealed class BffTempFolder : IDisposable
{
    public BffTempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bff-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabaseFile => System.IO.Path.Combine(Path, "bff.db");

    public string KeysPath => System.IO.Path.Combine(Path, "keys");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a host that is shutting down; the temp folder is cleaned eventually.
        }
    }
}
