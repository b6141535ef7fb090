using System.Runtime.InteropServices;

namespace Bff.Bench;

/// <summary>
/// <c>dotnet run -c Release --project Bff.Bench -- [--duration 10] [--connections 32] [--sessions 100000] [--redis host:port] [--smoke]</c>:
/// starts the DevIdp, the downstream API, the BFF and the peer host on loopback as child processes,
/// drives them with wrk and prints one markdown table. <c>Bff.Bench serve ...</c> is one of those
/// child processes (<see cref="Servers.BenchServers"/>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve", .. var server])
        {
            return await Servers.BenchServers.RunAsync(server);
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync("usage: Bff.Bench [--duration SECONDS] [--connections N] [--sessions N] [--only 1,3,7b] [--redis HOST:PORT] [--smoke]");
            return 2;
        }

        // Important: the never-started BFF apps this process builds to seed session stores install the
        // generic host's console lifetime, which swallows Ctrl+C and SIGTERM; the harness then ran on.
        // A stopped benchmark has nothing worth finishing: leave at once (the child servers are killed
        // on exit and stop when their standard input closes; temp folders are left to the temp cleaner).
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var report = await BenchRunner.RunAsync(options, Console.Error);
        await Console.Out.WriteLineAsync(report.ToMarkdown());

        // The table is printed either way; the exit code tells a script that a row could not be measured.
        return report.Rows.Exists(r => r.Failure is not null) ? 1 : 0;
    }

    private static void Stop(PosixSignalContext context)
    {
        Console.Error.WriteLine($"Bff.Bench: stopped by {context.Signal}.");
        Environment.Exit(130);
    }
}
