using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Bff.Tests.TestInfra;

/// <summary>A command run to its end (<c>dotnet publish</c>, <c>dotnet pack</c>, a script): its exit code and output.</summary>
public sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/> and waits for it (at most <paramref name="timeout"/>, default 8 minutes).</summary>
    public static async Task<CommandResult> RunAsync(
        string file, IEnumerable<string> arguments, string directory, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish in time:{Environment.NewLine}{await stdout}{await stderr}");
        }

        return new CommandResult(process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>
/// An ASP.NET Core app run as a child process, <c>dotnet &lt;assembly&gt;</c> in its folder, configured
/// only by the environment given (nothing inherited of the test run's own ASPNETCORE_* settings); its
/// address read from the lifetime log's "Now listening on:" line. Killed with its children when disposed.
/// </summary>
public sealed partial class ListeningProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ListeningProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the app wrote so far.</summary>
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

    /// <summary>Starts <c>dotnet <paramref name="assembly"/></c> in <paramref name="folder"/> with <paramref name="environment"/>.</summary>
    public static ListeningProcess Start(string folder, string assembly, IDictionary<string, string> environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
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

        return new ListeningProcess(Process.Start(start)!);
    }

    /// <summary>Where the app listens, once it said so (fails the test after 2 minutes, or when the app exits first).</summary>
    public async Task<Uri> WaitForAddressAsync()
    {
        var done = await Task.WhenAny(_address.Task, Task.Delay(TimeSpan.FromMinutes(2)), _process.WaitForExitAsync());
        Assert.True(done == _address.Task, "the app did not start listening:" + Environment.NewLine + Output);
        return await _address.Task;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex Listening();

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

        if (Listening().Match(line) is { Success: true } match)
        {
            _address.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }
}
