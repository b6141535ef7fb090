using Microsoft.Playwright;

namespace Bff.E2E.TestInfra;

/// <summary>
/// Everything a script in the page could read (document.cookie, web storage) and every response
/// body the page received from one origin, to prove no token ever reaches the browser.
/// </summary>
public sealed class BrowserEvidence
{
    private readonly List<Task<(string Url, string Body)>> _bodies = [];

    /// <summary>Starts recording the bodies of every response from <paramref name="origin"/>.</summary>
    public static BrowserEvidence Record(IPage page, Uri origin)
    {
        var evidence = new BrowserEvidence();
        var prefix = origin.GetLeftPart(UriPartial.Authority);
        page.Response += (_, response) =>
        {
            // A server-sent event stream (the SPA keeps /bff/events open) has no body until the page
            // closes it, so waiting for it would wait forever; what it carries (event names, reasons,
            // expiry times) is asserted by the session-events integration tests.
            if (response.Url.StartsWith(prefix, StringComparison.Ordinal) && !IsEventStream(response))
            {
                lock (evidence._bodies)
                {
                    evidence._bodies.Add(ReadAsync(response));
                }
            }
        };
        return evidence;
    }

    /// <summary>The bodies recorded so far (redirects have none).</summary>
    public async Task<IReadOnlyList<(string Url, string Body)>> BodiesAsync()
    {
        Task<(string, string)>[] pending;
        lock (_bodies)
        {
            pending = [.. _bodies];
        }

        return await Task.WhenAll(pending);
    }

    /// <summary>Asserts that none of <paramref name="tokens"/>, and nothing JWT-shaped, is readable by the page.</summary>
    public async Task AssertNoTokenReachedTheBrowserAsync(IBrowserContext context, IPage page, IReadOnlyCollection<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(tokens);
        Assert.NotEmpty(tokens);

        var scriptVisible = new Dictionary<string, string>
        {
            ["document.cookie"] = await page.EvaluateAsync<string>("document.cookie"),
            ["localStorage"] = await page.EvaluateAsync<string>("JSON.stringify(Object.entries(localStorage))"),
            ["sessionStorage"] = await page.EvaluateAsync<string>("JSON.stringify(Object.entries(sessionStorage))"),
        };
        foreach (var (where, text) in scriptVisible)
        {
            // "eyJ" is base64url for '{"': the start of every JWT header.
            Assert.False(text.Contains("eyJ", StringComparison.Ordinal), $"{where} holds something JWT-shaped: {text}");
        }

        var cookies = await context.CookiesAsync();
        var bodies = await BodiesAsync();
        Assert.Contains(bodies, b => b.Body.Length > 0); // the proof is not vacuous: pages were read
        foreach (var token in tokens)
        {
            foreach (var (where, text) in scriptVisible)
            {
                Assert.False(text.Contains(token, StringComparison.Ordinal), $"{where} holds a token");
            }

            Assert.DoesNotContain(cookies, c => c.Value.Contains(token, StringComparison.Ordinal));
            foreach (var (url, body) in bodies)
            {
                Assert.False(body.Contains(token, StringComparison.Ordinal), $"the response of {url} holds a token");
            }
        }
    }

    private static bool IsEventStream(IResponse response) =>
        response.Headers.TryGetValue("content-type", out var type)
        && type.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    private static async Task<(string Url, string Body)> ReadAsync(IResponse response)
    {
        try
        {
            return (response.Url, await response.TextAsync());
        }
        catch (PlaywrightException)
        {
            // Redirects and aborted responses have no body to read.
            return (response.Url, "");
        }
    }
}
