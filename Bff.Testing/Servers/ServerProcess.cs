using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bff.Testing.Hosting;

namespace Bff.Testing.Servers;

/// <summary>
/// One server binary (redis-server, postgres, nginx) run in the foreground as a child of the test
/// process: its last lines of output kept to explain a failure, and killed with its children when
/// disposed or when the test process exits, so no server outlives a test run.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Queue<string> _output = new();
    private readonly Process _process;

    private ServerProcess(Process process)
    {
        _process = process;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    /// <summary>Whether the server (or its watchdog) has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="fileName"/>; as root, <paramref name="runAs"/> names the user it runs as.
    /// <paramref name="stopSignal"/> is the signal that shuts the server down cleanly, sent by a
    /// watchdog when the test process disappears; the watchdog then also empties
    /// <paramref name="workingDirectory"/> (the server's own folder).
    /// </summary>
    /// <remarks>
    /// The test host is often ended by the test runner without running ProcessExit handlers, so a
    /// plain child would outlive it. A small shell watchdog sits between: it starts the server, polls
    /// every second whether the test process still exists (<c>/proc/PID</c>, readable by any user,
    /// where <c>kill -0</c> would fail across users), and stops the server when it is gone. The
    /// server also gets a parent-death signal (<c>setpriv --pdeathsig</c>): if the watchdog itself
    /// is killed (a runner killing the test host's process tree part-way), the server stops too
    /// instead of living on as an orphan.
    /// </remarks>
    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, string? runAs = null, string stopSignal = "TERM")
    {
        const string Watchdog =
            "parent=$1; signal=$2; folder=$3; shift 3; " +
            "if command -v setpriv >/dev/null; then setpriv --pdeathsig $signal -- \"$@\" & else \"$@\" & fi; server=$!; " +
            "trap 'kill -$signal $server 2>/dev/null; wait $server; exit' TERM INT; " +
            "while [ -d /proc/$parent ] && kill -0 $server 2>/dev/null; do sleep 1; done; " +
            "if [ ! -d /proc/$parent ]; then kill -$signal $server 2>/dev/null; wait $server; rm -rf \"$folder\"/* 2>/dev/null; fi; " +
            "wait $server";
        string[] watched =
        [
            "-c", Watchdog, "watchdog", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            stopSignal, workingDirectory, fileName, .. arguments,
        ];
        var start = runAs is not null && IsRoot
            ? new ProcessStartInfo("runuser", ["-u", runAs, "--", "bash", .. watched])
            : new ProcessStartInfo("bash", watched);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Received(e.Data);
        process.ErrorDataReceived += (_, e) => server.Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>True when the tests run as root (CI containers): PostgreSQL then runs as <c>postgres</c>.</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a short command to its end (at most <paramref name="timeout"/>, default 2 minutes) and returns its output; throws with that output when it fails.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string? runAs = null, TimeSpan? timeout = null)
    {
        string[] command = runAs is not null && IsRoot ? ["runuser", "-u", runAs, "--", fileName, .. arguments] : [fileName, .. arguments];
        var result = await CommandResult.RunAsync(command[0], command[1..], Environment.CurrentDirectory, timeout: timeout ?? TimeSpan.FromMinutes(2));
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{string.Join(' ', command)} failed ({result.ExitCode}):{Environment.NewLine}{result.Output}");
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A fresh folder for one private server: under <c>BFF_TEST_SERVERS_DIR</c> when set
    /// (scripts/test.sh sets it and kills whatever is left there at exit), else under the temp folder.
    /// </summary>
    public static string NewFolder(string kind)
    {
        var root = Environment.GetEnvironmentVariable("BFF_TEST_SERVERS_DIR") is { Length: > 0 } set
            ? set
            : Path.Combine(Path.GetTempPath(), "bff-servers");
        var folder = Path.Combine(root, $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 13)]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Deletes a private server's folder (<see cref="NewFolder"/>) after the server has stopped; one still
    /// held open, or written by the service user, is left for the temp folder's own cleanup.
    /// </summary>
    public static void DeleteFolder(string? folder)
    {
        if (folder is null)
        {
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the temp folder's own cleanup.
        }
    }

    /// <summary>Finds a binary: the environment variable's path when set, else the first candidate that exists, else PATH.</summary>
    public static string FindBinary(string? environmentVariable, string name, params string[] candidates)
    {
        if (environmentVariable is not null && Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } set)
        {
            return File.Exists(set) ? set : throw new InvalidOperationException($"{environmentVariable}={set}: no such file.");
        }

        foreach (var candidate in candidates.Concat(
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(p, name))))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{name} is not installed. Install Debian's packages with 'sudo apt-get install -y redis-server postgresql nginx' " +
            "(scripts/test.sh does it when run as root), or point the tests at running servers (BFF_TEST_REDIS, BFF_TEST_POSTGRES, BFF_NGINX).");
    }

    /// <summary>Polls <paramref name="ready"/> until it is true, failing early with the output when the process died.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited ({_process.ExitCode}) before it was ready. Its output:{Environment.NewLine}{RecentOutput()}");
            }

            if (await ready())
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} was not ready within {timeout}. Its output:{Environment.NewLine}{RecentOutput()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to end by itself (after a shutdown request); kills it after the timeout.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>True when something accepts TCP connections on the loopback port.</summary>
    public static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last lines the server wrote.</summary>
    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    /// <summary>Kills the server and its children at once (SIGKILL), as a crash would.</summary>
    public void Kill() => KillOnExit(this, EventArgs.Empty);

    /// <summary>Stops the server (SIGKILL with its children) and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        Kill();
        try
        {
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 60)
            {
                _output.Dequeue();
            }
        }
    }
}
