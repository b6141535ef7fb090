using System.IO.Compression;
using Bff.E2E.TestInfra;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.Plumbing;

/// <summary>The browser plumbing every journey relies on: the system Chromium runs, and a failed
/// journey leaves its trace and screenshot behind while a passing one leaves nothing.</summary>
[Collection(BrowserGroup.Name)]
public sealed class BrowserPlumbingTests(BrowserFixture browser)
{
    private const string Page = """
        <!doctype html><html><head><title>plumbing</title></head>
        <body><p id="out">static</p>
        <script>document.getElementById('out').textContent = 'scripted ' + (1 + 1);</script></body></html>
        """;

    [Fact]
    public async Task Chromium_runs_scripts_on_a_loopback_page()
    {
        await using var site = await StartSiteAsync();

        await Journey.RunAsync(browser, async page =>
        {
            await page.GotoAsync(site.BaseAddress.ToString());

            await Expect(page.Locator("#out")).ToHaveTextAsync("scripted 2");
            Assert.Contains("Chrom", await page.EvaluateAsync<string>("navigator.userAgent"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_failed_journey_keeps_its_trace_and_a_screenshot()
    {
        await using var site = await StartSiteAsync();
        var stem = Path.Combine(Journey.ArtifactsFolder, $"{nameof(BrowserPlumbingTests)}.{nameof(A_failed_journey_keeps_its_trace_and_a_screenshot)}");
        Directory.CreateDirectory(Journey.ArtifactsFolder);
        File.Delete(stem + ".zip");
        File.Delete(stem + ".png");

        var failure = await Assert.ThrowsAsync<JourneyFailedException>(() => Journey.RunAsync(browser, async page =>
        {
            await page.GotoAsync(site.BaseAddress.ToString());
            throw new InvalidOperationException("deliberate failure");
        }));

        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Contains(stem + ".zip", failure.Message, StringComparison.Ordinal);
        Assert.True(new FileInfo(stem + ".png").Length > 0, "the screenshot is empty");
        using (var trace = ZipFile.OpenRead(stem + ".zip"))
        {
            Assert.Contains(trace.Entries, e => e.Name.EndsWith(".trace", StringComparison.Ordinal));
        }

        File.Delete(stem + ".zip");
        File.Delete(stem + ".png");
    }

    [Fact]
    public async Task A_passing_journey_keeps_nothing()
    {
        await using var site = await StartSiteAsync();
        var stem = Path.Combine(Journey.ArtifactsFolder, $"{nameof(BrowserPlumbingTests)}.{nameof(A_passing_journey_keeps_nothing)}");

        await Journey.RunAsync(browser, async page => await page.GotoAsync(site.BaseAddress.ToString()));

        Assert.False(File.Exists(stem + ".zip"));
        Assert.False(File.Exists(stem + ".png"));
    }

    private static Task<LoopbackSite> StartSiteAsync() =>
        LoopbackSite.StartAsync(app => app.MapGet("/", () => Results.Content(Page, "text/html")));
}
