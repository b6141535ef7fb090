using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using Bff.Testing.Hosting;

namespace Bff.Bench;

/// <summary>
/// A server in a process of its own (a <see cref="ListeningProcess"/>): the BFF as a deployment runs it
/// (<c>dotnet Bff.Web.dll --urls http://127.0.0.1:0</c>, Production, configured by environment variables
/// only), or one of the bench's servers (<see cref="Servers.BenchServers"/>, the peer host). Optionally
/// pinned to some CPUs (<c>taskset</c>), so that the load generator does not share them. Killed when
/// disposed, and when this process exits.
/// </summary>
/// <remarks>
/// A bench server also reads commands on its standard input, one a line, and answers each with one
/// line starting <see cref="ReplyPrefix"/> (<see cref="CommandAsync"/>); it stops when its standard
/// input closes, so that it cannot outlive the harness.
/// </remarks>
internal sealed class BffChildProcess : IAsyncDisposable
{
    /// <summary>How a bench server's answer to a command starts.</summary>
    public const string ReplyPrefix = "bench-reply: ";

    private const int RecentLines = 40;

    private readonly System.Threading.Channels.Channel<string> _replies = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _commandGate = new(1, 1);
    private ListeningProcess _process = null!;

    private BffChildProcess()
    {
    }

    public int Id => _process.Id;

    /// <summary>Where the child listens (known once it logged it).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>From <see cref="Process.Start()"/> to the "Now listening on:" line.</summary>
    public TimeSpan StartToListening { get; private set; }

    /// <summary>From <see cref="Process.Start()"/> to the first 200 of <c>/health/ready</c>.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>
    /// The CPU time the child had used (all its threads, user and kernel) when it was ready: on a shared
    /// machine the wall time to ready is about this times the load, so this is the figure that a change
    /// to the start-up path moves.
    /// </summary>
    public TimeSpan CpuToReady { get; private set; }

    /// <summary>
    /// The folder of the Bff.Web build of the same configuration as this harness
    /// (<c>&lt;repo&gt;/Bff.Web/bin/&lt;Configuration&gt;/net10.0</c>).
    /// </summary>
    public static string WebBinFolder() => ProjectBinFolder("Bff.Web");

    /// <summary>
    /// Bff.Web as published (<c>bench/run.sh</c> publishes it ReadyToRun into
    /// <c>Bff.Web/bin/&lt;Configuration&gt;/net10.0/&lt;rid&gt;/publish</c>) when that is at least as new
    /// as the build output, else the build output's <c>Bff.Web.dll</c>; and whether it is the published one.
    /// <c>BFF_BENCH_PUBLISHED_WEB</c>, set by <c>bench/run.sh</c> after its publish, names the publish to use.
    /// </summary>
    public static (string Assembly, bool Published) PublishedWebAssembly()
    {
        if (Environment.GetEnvironmentVariable("BFF_BENCH_PUBLISHED_WEB") is { Length: > 0 } named && File.Exists(named))
        {
            return (named, true);
        }

        var build = Path.Combine(WebBinFolder(), "Bff.Web.dll");
        var published = Directory.EnumerateDirectories(WebBinFolder())
            .Select(rid => Path.Combine(rid, "publish", "Bff.Core.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        return published is not null && File.GetLastWriteTimeUtc(published) >= File.GetLastWriteTimeUtc(Path.Combine(WebBinFolder(), "Bff.Core.dll"))
            ? (Path.Combine(Path.GetDirectoryName(published)!, "Bff.Web.dll"), true)
            : (build, false);
    }

    /// <summary>
    /// The folder of <paramref name="project"/>'s build of the same configuration as this harness
    /// (<c>&lt;repo&gt;/&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0</c>), found from where this
    /// harness runs (<c>Bff.Bench/bin/Release/net10.0</c>, or a test project's bin folder in the smoke test).
    /// </summary>
    public static string ProjectBinFolder(string project)
    {
        var harness = typeof(BffChildProcess).Assembly;
        var binFolder = Path.GetDirectoryName(harness.Location) ?? AppContext.BaseDirectory;
        var configuration = harness.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var projectBin = Path.Combine(RepositoryFiles.FindRoot(binFolder), project, "bin", configuration, new DirectoryInfo(binFolder).Name);
        return File.Exists(Path.Combine(projectBin, project + ".dll"))
            ? projectBin
            : throw new InvalidOperationException(
                $"{Path.Combine(projectBin, project + ".dll")} is missing: build in {configuration} first (`dotnet build -c {configuration} Bff.sln`; bench/run.sh builds Release).");
    }

    /// <summary>
    /// Starts the child with <paramref name="settings"/> as environment variables (<c>:</c> becomes
    /// <c>__</c>) and waits until <c>/health/ready</c> answers 200; kills it if it does not.
    /// </summary>
    public static Task<BffChildProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout, string? cpus = null) =>
        StartAsync(Path.Combine(WebBinFolder(), "Bff.Web.dll"), ["--urls", LoopbackApp.Urls], settings, timeout, cpus);

    /// <summary>
    /// Starts <c>dotnet <paramref name="assembly"/> <paramref name="args"/></c> with
    /// <paramref name="settings"/> as environment variables (<c>:</c> becomes <c>__</c>), on the CPUs
    /// <paramref name="cpus"/> when given (a <c>taskset</c> list such as <c>0</c>), and waits until it
    /// listened and <paramref name="readyPath"/> answers 200 (<see langword="null"/>: listening is ready);
    /// kills it if it does not.
    /// </summary>
    public static async Task<BffChildProcess> StartAsync(
        string assembly,
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?> settings,
        TimeSpan timeout,
        string? cpus = null,
        string? readyPath = "/health/ready")
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(args);
        IEnumerable<string> command = cpus is null ? ["dotnet", assembly, .. args] : ["taskset", "-c", cpus, "dotnet", assembly, .. args];
        var environment = settings
            .Select(s => new KeyValuePair<string, string?>(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value))
            .Append(new("ASPNETCORE_ENVIRONMENT", "Production"))

            // The port is bound at run time (port 0): the lifetime log line is how the child tells it.
            .Append(new("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information"));

        var child = new BffChildProcess();
        var clock = Stopwatch.StartNew();
        child._process = ListeningProcess.StartCommand(
            command.First(), command.Skip(1), Path.GetDirectoryName(assembly) ?? AppContext.BaseDirectory, environment,
            redirectStandardInput: true, onLine: child.Received);
        try
        {
            await child.WaitUntilReadyAsync(clock, timeout, readyPath);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>The child's resident memory and its peak, in MB, from <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public (double Resident, double Peak) ResidentMegabytes()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            // Not Linux: the runtime's own reading of the same figure.
            using var process = Process.GetProcessById(_process.Id);
            return (process.WorkingSet64 / (1024.0 * 1024.0), process.PeakWorkingSet64 / (1024.0 * 1024.0));
        }

        var lines = File.ReadAllLines(status);
        return (Kilobytes(lines, "VmRSS:") / 1024.0, Kilobytes(lines, "VmHWM:") / 1024.0);
    }

    /// <summary>
    /// What the child's resident memory is made of, from <c>/proc/&lt;pid&gt;/status</c>: anonymous pages (the
    /// GC heap, native allocations, thread stacks), file-backed pages (the mapped assemblies, whose
    /// ReadyToRun code counts here) and its thread count; empty where there is no /proc.
    /// </summary>
    public string MemoryBreakdown()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return string.Empty;
        }

        var lines = File.ReadAllLines(status);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"anonymous {Kilobytes(lines, "RssAnon:") / 1024.0:0} MB, file-backed {Kilobytes(lines, "RssFile:") / 1024.0:0} MB, {Kilobytes(lines, "Threads:")} threads");
    }

    /// <summary>The child's last lines of output (command answers left out).</summary>
    public string RecentOutput() =>
        string.Join(Environment.NewLine, _process.Output.Split(Environment.NewLine).Where(l => !l.StartsWith(ReplyPrefix, StringComparison.Ordinal)).TakeLast(RecentLines));

    /// <summary>Kills the child at once (SIGKILL on Unix), as a crash would; dispose it afterwards.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _commandGate.Dispose();
    }

    /// <summary>Sends a bench server one command line and returns its one-line answer.</summary>
    public async Task<string> CommandAsync(string command, TimeSpan? timeout = null)
    {
        await _commandGate.WaitAsync();
        try
        {
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await _process.StandardInput.WriteLineAsync(command.AsMemory(), deadline.Token);
            await _process.StandardInput.FlushAsync(deadline.Token);
            try
            {
                return await _replies.Reader.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No answer to '{command}'. Its output:{Environment.NewLine}{RecentOutput()}");
            }
        }
        finally
        {
            _commandGate.Release();
        }
    }

    private async Task WaitUntilReadyAsync(Stopwatch clock, TimeSpan timeout, string? readyPath)
    {
        Address = await _process.WaitForAddressAsync(timeout);
        StartToListening = clock.Elapsed;
        using var deadline = new CancellationTokenSource(timeout > clock.Elapsed ? timeout - clock.Elapsed : TimeSpan.Zero);
        try
        {
            // The start's deadline bounds each probe too: on a loaded machine a first request can take longer than any fixed per-request limit.
            using var http = new HttpClient { BaseAddress = Address, Timeout = Timeout.InfiniteTimeSpan };
            while (readyPath is not null)
            {
                using (var response = await http.GetAsync(new Uri(readyPath, UriKind.Relative), deadline.Token))
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }

                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The server exited before it was ready. Its output:{Environment.NewLine}{RecentOutput()}");
                }

                await Task.Delay(5, deadline.Token);
            }

            StartToReady = clock.Elapsed;
            using (var running = Process.GetProcessById(_process.Id))
            {
                CpuToReady = running.TotalProcessorTime;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The server was not ready within {timeout}. Its output:{Environment.NewLine}{RecentOutput()}");
        }
    }

    private void Received(string line)
    {
        if (line.StartsWith(ReplyPrefix, StringComparison.Ordinal))
        {
            _replies.Writer.TryWrite(line[ReplyPrefix.Length..]);
        }
    }

    private static long Kilobytes(string[] statusLines, string field)
    {
        // e.g. "VmRSS:	  183244 kB"
        var line = statusLines.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No {field} in /proc status.");
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
