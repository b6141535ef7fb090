using System.Globalization;
using System.Text;

namespace Bff.Bench;

/// <summary>One row of the table.</summary>
/// <param name="Name">What is measured, e.g. <c>1. Local API GET</c>.</param>
/// <param name="Measured">The measured figures.</param>
/// <param name="Baseline">The baseline measured in the same run, and what it is.</param>
/// <param name="Result">The ratio (or the figure the target is about).</param>
/// <param name="Target">The target from the issue.</param>
/// <param name="Met">Whether the target is met.</param>
internal sealed record BenchRow(string Name, string Measured, string Baseline, string Result, string Target, bool Met);

/// <summary>The harness's output: one markdown table.</summary>
internal sealed class BenchReport
{
    private const string NotMeasured = "not measured";

    public List<BenchRow> Rows { get; } = [];

    /// <summary>Each refresh storm: the BFF's session storage, its token-endpoint refresh_token calls (expected exactly 1) and its requests answered 200.</summary>
    public List<(string Store, int RefreshCalls, int Succeeded)> Storms { get; } = [];

    public required BenchOptions Options { get; init; }

    /// <summary>Where the load of the throughput rows came from.</summary>
    public required string LoadDescription { get; init; }

    /// <summary>Rows that failed to measure: each says why, and the run goes on to the next.</summary>
    public bool AnyNotMeasured => Rows.Exists(row => row.Result == NotMeasured);

    /// <summary>
    /// Runs the measurement that adds the rows named <paramref name="rows"/>. When it throws, each of
    /// those rows it did not add is added as not measured, with the reason, so that one broken row
    /// (a child that does not start, a refused session) costs its own figures and not the whole table
    /// of a run that may have taken half an hour.
    /// </summary>
    public async Task MeasureRowsAsync(IReadOnlyList<string> rows, TextWriter progress, Func<Task> measure)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(measure);
        try
        {
            await measure();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TimeoutException or OperationCanceledException or FormatException or System.ComponentModel.Win32Exception)
        {
            var reason = $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
            await progress.WriteLineAsync($"  not measured ({string.Join(", ", rows)}): {reason}");
            foreach (var name in rows.Where(name => !Rows.Exists(row => row.Name == name)))
            {
                Rows.Add(new BenchRow(name, $"not measured: {reason.Replace('|', '/')}", "none", NotMeasured, "", false));
            }
        }
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Bff.Bench: duration {Options.DurationSeconds} s, {Options.Connections} connections, {Options.Sessions} stored sessions, storm of {Options.StormRequests}{(Options.Smoke ? " (smoke run: figures mean nothing)" : string.Empty)}, {Environment.ProcessorCount} cores; load from {LoadDescription}; servers in child processes");
        text.AppendLine();
        text.AppendLine("| Row | Measured | Baseline (same run) | Result | Target | Met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Name} | {row.Measured} | {row.Baseline} | {row.Result} | {row.Target} | {(row.Met ? "yes" : "**no**")} |");
        }

        return text.ToString();
    }

    public static string Ms(double milliseconds) => milliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public static string Num(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);
}
