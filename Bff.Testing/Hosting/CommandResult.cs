using System.Diagnostics;

namespace Bff.Testing.Hosting;

/// <summary>A command run to its end (<c>dotnet publish</c>, <c>dotnet pack</c>, a script): its exit code and output.</summary>
public sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/> and waits for it (at most <paramref name="timeout"/>, default 8 minutes; then it is killed with its children).</summary>
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
