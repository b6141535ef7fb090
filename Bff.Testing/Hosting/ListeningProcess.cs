using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Bff.Testing.Hosting;

/// <summary>
/// An ASP.NET Core app run as a child process (<c>dotnet &lt;assembly&gt;</c> in its folder, or any
/// command), configured only by the environment given: nothing of the test run's own ASPNETCORE_* and
/// DOTNET_ENVIRONMENT settings is inherited. Its address is read from the lifetime log's
/// "Now listening on:" line (start it with <c>--urls http://127.0.0.1:0</c>). Killed with its children
/// when disposed, and when the test process exits.
/// </summary>
public sealed partial class ListeningProcess : IDisposable, IAsyncDisposable
{
    /// <summary>How ASP.NET Core's lifetime log tells the address it bound.</summary>
    public const string ListeningLine = "Now listening on: ";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _onLine;

    private ListeningProcess(Process process, Action<string>? onLine)
    {
        _process = process;
        _onLine = onLine;
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // A test run that ends without disposing (a crash, Environment.Exit) must not leave the app behind.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The child's standard input (when started with <c>redirectStandardInput</c>).</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Everything the app wrote so far (standard output and error, interleaved as read).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c> in <paramref name="folder"/> with <paramref name="environment"/>.</summary>
    public static ListeningProcess Start(string folder, string assembly, IDictionary<string, string> environment, params string[] arguments) =>
        StartCommand("dotnet", [assembly, .. arguments], folder, environment?.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)) ?? throw new ArgumentNullException(nameof(environment)));

    /// <summary>
    /// Starts <paramref name="file"/> <paramref name="arguments"/> in <paramref name="folder"/> with
    /// <paramref name="environment"/> (a value of null removes an inherited variable).
    /// <paramref name="onLine"/> sees every line of output as it arrives.
    /// </summary>
    public static ListeningProcess StartCommand(
        string file,
        IEnumerable<string> arguments,
        string folder,
        IEnumerable<KeyValuePair<string, string?>> environment,
        bool redirectStandardInput = false,
        Action<string>? onLine = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStandardInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ListeningProcess(Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start."), onLine);
    }

    /// <summary>Where the app listens, once it said so; throws after <paramref name="timeout"/> (default 2 minutes) or when the app exits first.</summary>
    public async Task<Uri> WaitForAddressAsync(TimeSpan? timeout = null)
    {
        var done = await Task.WhenAny(_address.Task, Task.Delay(timeout ?? TimeSpan.FromMinutes(2)), _process.WaitForExitAsync());
        if (done != _address.Task)
        {
            throw new TimeoutException(
                (_process.HasExited ? $"the app exited ({_process.ExitCode}) before it listened:" : "the app did not start listening in time:")
                + Environment.NewLine + Output);
        }

        return await _address.Task;
    }

    /// <summary>Kills the app and its children at once (SIGKILL on Unix), as a crash would; dispose it afterwards.</summary>
    public void Kill() => KillOnExit(this, EventArgs.Empty);

    /// <summary>Kills the app and its children (if still running) and waits for it to end.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }

        _process.Dispose();
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"Now listening on: (?<url>https?://\S+)")]
    private static partial Regex Listening();

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        _onLine?.Invoke(line);
        if (Listening().Match(line) is { Success: true } match)
        {
            _address.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }
}
