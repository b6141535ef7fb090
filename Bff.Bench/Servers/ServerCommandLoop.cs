using System.Globalization;

namespace Bff.Bench.Servers;

/// <summary>
/// The command channel of a bench server in a child process: one command a line on standard input,
/// one answer a line on standard output, starting with <c>bench-reply: </c> (what
/// <c>BffChildProcess.CommandAsync</c> reads). The server stops when standard input closes, so that it
/// cannot outlive the harness that started it, whatever killed the harness.
/// </summary>
/// <remarks>Linked into the peer host as well: it is harness plumbing, not part of either server under test.</remarks>
internal static class ServerCommandLoop
{
    private const string ReplyPrefix = "bench-reply: ";

    /// <summary>Tells the harness where the server listens (the line ASP.NET Core's lifetime log writes).</summary>
    public static void AnnounceListening(string address) => Console.Out.WriteLine("Now listening on: " + address);

    /// <summary>
    /// Answers commands until standard input closes. <c>stats</c> is built in (methods compiled,
    /// bytes allocated, gen0 and gen2 collections of this process, space separated); anything else goes
    /// to <paramref name="handle"/>, which answers it or returns <see langword="null"/> for "unknown".
    /// </summary>
    public static async Task RunAsync(Func<string, string[], Task<string?>> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            string answer;
            try
            {
                answer = words[0] == "stats"
                    ? string.Create(CultureInfo.InvariantCulture, $"{System.Runtime.JitInfo.GetCompiledMethodCount()} {GC.GetTotalAllocatedBytes()} {GC.CollectionCount(0)} {GC.CollectionCount(2)}")
                    : await handle(words[0], words[1..]) ?? "error unknown command " + words[0];
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
            {
                answer = "error " + e.Message.ReplaceLineEndings(" ");
            }

            await Console.Out.WriteLineAsync(ReplyPrefix + answer);
            await Console.Out.FlushAsync();
        }
    }
}
