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
internal sealed record BenchRow(string Name, string Measured, string Baseline, string Result, string Target, bool Met)
{
    /// <summary>Why the row could not be measured (its measurement threw), or <see langword="null"/> when it was.</summary>
    public string? Failure { get; init; }

    /// <summary>
    /// The row of a measurement that threw: "failed: " and the exception's first line, so that the
    /// table still prints every other row and says what went wrong with this one.
    /// </summary>
    public static BenchRow Failed(string name, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = $"{exception.GetType().Name}: {exception.Message}".ReplaceLineEndings(" ").Replace('|', '/');
        reason = reason.Length > 300 ? reason[..300] + "..." : reason;
        return new BenchRow(name, "failed: " + reason, "none", "failed", "not measured", Met: false) { Failure = reason };
    }
}

/// <summary>The harness's output: one markdown table.</summary>
internal sealed class BenchReport
{
    public List<BenchRow> Rows { get; } = [];

    /// <summary>Each refresh storm: the BFF's session storage, its token-endpoint refresh_token calls (expected exactly 1) and its requests answered 200.</summary>
    public List<(string Store, int RefreshCalls, int Succeeded)> Storms { get; } = [];

    public required BenchOptions Options { get; init; }

    /// <summary>Where the load of the throughput rows came from.</summary>
    public required string LoadDescription { get; init; }

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
