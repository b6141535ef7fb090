using System.Collections.Concurrent;
using Bff.Tests.TestInfra;
using Bff.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Bff.Tests.Health;

/// <summary>The real Bff.Web app on a free loopback port, its log captured, for the health tests.</summary>
public sealed class RunningBff : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningBff(WebApplication app, Uri address, CapturedLog log)
    {
        _app = app;
        Address = address;
        Log = log;
        Client = new HttpClient { BaseAddress = address };
    }

    /// <summary>The app's root.</summary>
    public Uri Address { get; }

    /// <summary>A client for the app (no cookies needed: health endpoints are anonymous).</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the app logged.</summary>
    public CapturedLog Log { get; }

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app in <paramref name="environment"/> against <paramref name="authority"/>.</summary>
    public static async Task<RunningBff> StartAsync(
        BffTempFolder folder, string authority, IDictionary<string, string?>? overrides = null, string environment = "Production")
    {
        var settings = BffHost.Settings(folder, new Uri(authority));

        // The health tests read the app's information messages: keep the default log level.
        settings.Remove("Logging:LogLevel:Default");
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        string[] args = [.. LoopbackApp.Arguments(environment), .. settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")];
        var builder = BffWebApp.CreateBuilder(args);
        var log = new CapturedLog();
        builder.Logging.AddProvider(log);
        var app = await BffWebApp.BuildAsync(builder);
        return new RunningBff(app, await app.StartOnLoopbackAsync(), log);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAndDisposeAsync();
    }
}

/// <summary>An in-memory logger provider: every message with its level and category.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    /// <summary>The messages logged so far.</summary>
    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    /// <summary>Waits until a message matching <paramref name="match"/> is logged, or fails after a generous timeout.</summary>
    public async Task<(LogLevel Level, string Category, string Message)> WaitForAsync(Func<(LogLevel Level, string Category, string Message), bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var entry in _entries)
            {
                if (match(entry))
                {
                    return entry;
                }
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("Expected log message not seen. Logged:" + Environment.NewLine + Dump());
    }

    /// <summary>Everything logged, one line per message, for assertion messages.</summary>
    public string Dump() => string.Join(Environment.NewLine, _entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : " | " + exception.Message)));
    }
}
