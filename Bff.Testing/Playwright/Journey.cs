using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Bff.Testing.Playwright;

/// <summary>
/// Runs one journey in a fresh browser context with Playwright tracing on, and keeps the trace and
/// a full-page screenshot only when the journey fails (xunit 2 has no failure hook, so the journey
/// body runs inside this wrapper, which saves the artifacts and rethrows).
/// </summary>
public static class Journey
{
    /// <summary>Generous: two busy cores are shared by a whole team building at once.</summary>
    public const float DefaultTimeoutMs = 30_000;

    /// <summary>The folder where failed journeys leave <c>{test}.zip</c> and <c>{test}.png</c>.</summary>
    public static string ArtifactsFolder { get; } = Path.Combine(AppContext.BaseDirectory, "playwright-traces");

    /// <summary>Runs <paramref name="body"/> on a new page of a new context.</summary>
    public static Task RunAsync(
        BrowserFixture browser,
        Func<IPage, Task> body,
        BrowserNewContextOptions? options = null,
        [CallerMemberName] string name = "",
        [CallerFilePath] string file = "")
        => RunAsync(browser, (_, page) => body(page), options, name, file);

    /// <summary>Runs <paramref name="body"/> with the context too (for cookies and storage state).</summary>
    public static async Task RunAsync(
        BrowserFixture browser,
        Func<IBrowserContext, IPage, Task> body,
        BrowserNewContextOptions? options = null,
        [CallerMemberName] string name = "",
        [CallerFilePath] string file = "")
    {
        // Test names repeat across classes; the file name keeps the artifacts apart.
        name = $"{Path.GetFileNameWithoutExtension(file)}.{name}";
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(body);

        // Expect assertions keep their own default (5 s), which a silent sign-in round trip through the
        // identity provider can exceed on a busy machine; a check that needs a tighter bound passes its own.
        Assertions.SetDefaultExpectTimeout(DefaultTimeoutMs);
        await using var context = await browser.Browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        context.SetDefaultTimeout(DefaultTimeoutMs);
        context.SetDefaultNavigationTimeout(DefaultTimeoutMs);
        await context.Tracing.StartAsync(new TracingStartOptions
        {
            Title = name,
            Screenshots = true,
            Snapshots = true,
        });

        var page = await context.NewPageAsync();
        try
        {
            await body(context, page);
        }
        catch (Exception failure)
        {
            var saved = await SaveArtifactsAsync(context, page, name);
            throw new JourneyFailedException($"Journey '{name}' failed: {failure.Message}{Environment.NewLine}{saved}", failure);
        }

        // Success: stop without a path, which discards the trace.
        await context.Tracing.StopAsync();
    }

    private static async Task<string> SaveArtifactsAsync(IBrowserContext context, IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactsFolder);
        var stem = Path.Combine(ArtifactsFolder, Sanitize(name));
        var notes = new List<string>();
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = stem + ".png", FullPage = true, Timeout = 10_000 });
            notes.Add($"Screenshot: {stem}.png (page was {page.Url})");
        }
        catch (PlaywrightException e)
        {
            notes.Add($"No screenshot: {e.Message}");
        }

        try
        {
            await context.Tracing.StopAsync(new TracingStopOptions { Path = stem + ".zip" });
            notes.Add($"Trace: {stem}.zip (open with 'pwsh bin/.../playwright.ps1 show-trace' or trace.playwright.dev)");
        }
        catch (PlaywrightException e)
        {
            notes.Add($"No trace: {e.Message}");
        }

        return string.Join(Environment.NewLine, notes);
    }

    private static string Sanitize(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string([.. name.Select(c => invalid.Contains(c) ? '_' : c)]);
    }
}

/// <summary>A journey failed; the message names the kept trace and screenshot.</summary>
public sealed class JourneyFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JourneyFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JourneyFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around the journey's own failure.</summary>
    public JourneyFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
