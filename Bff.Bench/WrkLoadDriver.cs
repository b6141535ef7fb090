using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Bff.Bench;

/// <summary>
/// Load from its own process: <c>wrk</c> (Debian's package), pinned to <see cref="CpuPlan.Load"/>
/// with <c>taskset</c> where the machine allows, its requests/s and latency percentiles read from its
/// <c>--latency</c> report. Responses of 400 and above (wrk's "Non-2xx or 3xx responses") and socket
/// errors count as failures; every server under test answers 401 when the cookie stops working, never
/// a redirect, so a lost session cannot pass for success.
/// </summary>
internal sealed partial class WrkLoadDriver(string wrk, CpuPlan cpus) : ILoadDriver
{
    private static readonly string[] SocketErrorKinds = ["connect", "read", "write", "timeout"];

    public string Description => $"wrk, {cpus.Description}";

    /// <summary>wrk's path, or <see langword="null"/> with the reason it is missing.</summary>
    public static string? Find() => CpuPlan.Which("wrk");

    public async Task<LoadResult> RunAsync(LoadRequest request, int connections, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(request);
        var threads = Math.Min(cpus.LoadThreads, connections);
        List<string> arguments =
        [
            $"-t{threads}", $"-c{connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "--timeout", "10s",
        ];
        foreach (var (name, value) in request.Headers)
        {
            arguments.Add("-H");
            arguments.Add($"{name}: {value}");
        }

        arguments.Add(request.Uri.AbsoluteUri);
        var start = cpus.Load is null
            ? new ProcessStartInfo(wrk, arguments)
            : new ProcessStartInfo("taskset", ["-c", cpus.Load, wrk, .. arguments]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        var report = await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {await errors}{report}");
        }

        return Parse(report);
    }

    public void Dispose()
    {
        // Nothing held between runs: each run is its own wrk process.
    }

    /// <summary>Reads wrk's <c>--latency</c> report.</summary>
    internal static LoadResult Parse(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var total = Summary().Match(report);
        if (!total.Success)
        {
            throw new InvalidOperationException("wrk's report has no request count: " + report);
        }

        var requests = int.Parse(total.Groups["requests"].Value, CultureInfo.InvariantCulture);
        var seconds = Duration(total.Groups["value"].Value, total.Groups["unit"].Value);
        var failed = NonSuccess().Match(report) is { Success: true } bad ? int.Parse(bad.Groups["count"].Value, CultureInfo.InvariantCulture) : 0;
        if (SocketErrors().Match(report) is { Success: true } socket)
        {
            failed += SocketErrorKinds.Sum(g => int.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture));
        }

        return new LoadResult(Math.Max(0, requests - failed), failed, TimeSpan.FromSeconds(seconds), Percentile(report, "50"), Percentile(report, "99"));
    }

    private static double Percentile(string report, string percent)
    {
        var match = Regex.Match(report, $@"^\s+{percent}(?:\.0+)?%\s+(?<value>[\d.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        return match.Success ? Duration(match.Groups["value"].Value, match.Groups["unit"].Value) * 1000 : double.NaN;
    }

    private static double Duration(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch
        {
            "us" => 1e-6,
            "ms" => 1e-3,
            "m" => 60,
            _ => 1,
        };

    [GeneratedRegex(@"(?<requests>\d+) requests in (?<value>[\d.]+)(?<unit>us|ms|s|m),")]
    private static partial Regex Summary();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (?<count>\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (?<connect>\d+), read (?<read>\d+), write (?<write>\d+), timeout (?<timeout>\d+)")]
    private static partial Regex SocketErrors();
}
