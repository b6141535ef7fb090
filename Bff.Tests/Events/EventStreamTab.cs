using System.Net;
using System.Text.Json;
using System.Threading.Channels;

namespace Bff.Tests.Events;

/// <summary>One frame of <c>/bff/events</c>: its event name (<c>heartbeat</c> for a comment line) and data.</summary>
public sealed record EventFrame(string Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>
/// Another tab of a signed-in browser: its own connection carrying the browser's cookies (the same
/// session), reading <c>/bff/events</c> as the SPA does (fetch with <c>X-CSRF: 1</c>, the body as a
/// stream), frame by frame.
/// </summary>
public sealed class EventStreamTab : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly Channel<EventFrame> _frames = Channel.CreateUnbounded<EventFrame>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private EventStreamTab(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _response = response;
        _reading = ReadAsync();
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Sends the request a tab sends; the answer as it arrives (headers only: the body is a stream).</summary>
    /// <param name="browser">The signed-in browser whose cookies the tab carries.</param>
    /// <param name="bff">The BFF's address.</param>
    /// <param name="antiforgery">Whether to send <c>X-CSRF: 1</c>.</param>
    /// <param name="path">The events path (<c>Bff:EventsPath</c>).</param>
    public static async Task<(HttpClient Http, HttpResponseMessage Response)> RequestAsync(BrowserClient browser, Uri bff, bool antiforgery = true, string path = "/bff/events")
    {
        ArgumentNullException.ThrowIfNull(browser);
        var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bff, path));
        var cookies = string.Join("; ", browser.CookiesFor(bff).Select(c => c.Name + "=" + c.Value));
        if (cookies.Length > 0)
        {
            request.Headers.Add("Cookie", cookies);
        }

        request.Headers.Accept.ParseAdd("text/event-stream");
        if (antiforgery)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return (http, response);
    }

    /// <summary>Opens the stream; fails the test unless it answers 200 text/event-stream.</summary>
    public static async Task<EventStreamTab> OpenAsync(BrowserClient browser, Uri bff, string path = "/bff/events")
    {
        var (http, response) = await RequestAsync(browser, bff, path: path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            http.Dispose();
            Assert.Fail($"{path} answered {(int)response.StatusCode}: {body}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamTab(http, response);
    }

    /// <summary>The next frame other than a heartbeat; fails after <paramref name="timeout"/> (30 s by default).</summary>
    public async Task<EventFrame> NextEventAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            EventFrame frame;
            try
            {
                frame = await _frames.Reader.ReadAsync(cancel.Token);
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException("The event stream ended without another event.");
            }

            if (frame.Event != "heartbeat")
            {
                return frame;
            }
        }
    }

    /// <summary>The next <c>ended</c> frame's reason, skipping <c>session</c>/<c>expiring</c> frames and heartbeats.</summary>
    public async Task<string> EndedReasonAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var frame = await NextEventAsync(timeout);
            if (frame.Event == "ended")
            {
                return frame.Json.GetProperty("reason").GetString()!;
            }
        }
    }

    /// <summary>Waits for the server to close the stream; true when it did within <paramref name="timeout"/>.</summary>
    public async Task<bool> ClosedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _frames.Reader.WaitToReadAsync(cancel.Token))
            {
                _frames.Reader.TryRead(out _);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The frames up to and including the <paramref name="count"/>th heartbeat from now.</summary>
    public async Task<List<EventFrame>> UntilHeartbeatsAsync(int count, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var frames = new List<EventFrame>();
        while (count > 0)
        {
            var frame = await _frames.Reader.ReadAsync(cancel.Token);
            frames.Add(frame);
            if (frame.Event == "heartbeat")
            {
                count--;
            }
        }

        return frames;
    }

    /// <summary>Every frame that arrived so far, without waiting (heartbeats included).</summary>
    public List<EventFrame> Drain()
    {
        var frames = new List<EventFrame>();
        while (_frames.Reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
            string? name = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null || data.Count > 0)
                    {
                        _frames.Writer.TryWrite(new EventFrame(name ?? "message", string.Join('\n', data)));
                    }

                    name = null;
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    _frames.Writer.TryWrite(new EventFrame("heartbeat", line[1..].Trim()));
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The tab closed, or the server went away: the stream simply ends.
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
