namespace Bff.Tests.TestInfra.Servers;

/// <summary>
/// What the Redis and PostgreSQL test servers share: a private server owns a folder and a process that
/// a test may stop and start again on the same data to play an outage; the exported one (started by
/// scripts/test.sh and named by an environment variable) owns neither and refuses to be stopped.
/// </summary>
public abstract class RestartableServer : IAsyncDisposable
{
    private readonly string _name;
    private readonly string _exportVariable;
    private ServerProcess? _process;

    protected RestartableServer(string name, string exportVariable, string? folder)
    {
        _name = name;
        _exportVariable = exportVariable;
        Folder = folder;
    }

    /// <summary>True for a server this process started (and may stop); false for the exported one.</summary>
    public bool IsPrivate => Folder is not null;

    /// <summary>The private server's own folder; null for the exported one.</summary>
    protected string? Folder { get; }

    /// <summary>Starts the private server (again) on the same port and data, and waits until it answers.</summary>
    public async Task StartAsync()
    {
        var folder = Folder ?? throw NotThisProcess("start or stop");
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"This {_name} is running already.");
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = Launch(folder);
        await _process.WaitUntilAsync(AnswersAsync, $"{_name} ({folder})", StartTimeout);
    }

    /// <summary>Kills the private server (SIGKILL), as a crash would.</summary>
    public void Kill() => Running("kill").Kill();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        ServerProcess.DeleteFolder(Folder);
        GC.SuppressFinalize(this);
    }

    /// <summary>How long a start may take before the test fails with the server's output.</summary>
    protected abstract TimeSpan StartTimeout { get; }

    /// <summary>Starts the server process on <paramref name="folder"/>.</summary>
    protected abstract ServerProcess Launch(string folder);

    /// <summary>True when the server does real work (a PING, a query).</summary>
    protected abstract Task<bool> AnswersAsync();

    /// <summary>The private server's process, for a subclass that stops it.</summary>
    protected ServerProcess Running(string action) => _process ?? throw NotThisProcess(action);

    private InvalidOperationException NotThisProcess(string action) =>
        new($"The exported {_name} ({_exportVariable}) is not this process's to {action}.");
}
