namespace Bff.Bench;

/// <summary>
/// <c>dotnet run -c Release --project Bff.Bench -- [--duration 10] [--connections 32] [--sessions 100000] [--smoke]</c>:
/// starts the DevIdp, the downstream API and the BFF on loopback and prints one markdown table.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync("usage: Bff.Bench [--duration SECONDS] [--connections N] [--sessions N] [--smoke]");
            return 2;
        }

        var report = await BenchRunner.RunAsync(options, Console.Error);
        await Console.Out.WriteLineAsync(report.ToMarkdown());
        return 0;
    }
}
