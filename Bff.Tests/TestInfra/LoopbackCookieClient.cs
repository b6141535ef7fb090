using System.Net;
using System.Text.RegularExpressions;

namespace Bff.Tests.TestInfra;

/// <summary>
/// A browser-like HTTP client for integration tests: keeps cookies (treating loopback http as a
/// secure context, as Chromium does, so Secure and <c>__Host-</c> cookies flow), follows redirects
/// itself so every hop's Set-Cookie is seen, and can submit HTML forms (the IdP's login form and
/// the <c>form_post</c> page). Cookies ignore ports, as in a browser: the BFF and the IdP on one
/// host share this jar.
/// </summary>
public sealed partial class LoopbackCookieClient : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private readonly Lock gate = new();
    private readonly Dictionary<(string Name, string Path), string> cookies = new();

    public LoopbackCookieClient(Uri baseAddress) => BaseAddress = baseAddress;

    public Uri BaseAddress { get; }

    /// <summary>The cookie values of the jar by name (for assertions; tests never print them).</summary>
    public IReadOnlyDictionary<string, string> Cookies
    {
        get
        {
            lock (gate)
            {
                return cookies.GroupBy(c => c.Key.Name).ToDictionary(g => g.Key, g => g.First().Value);
            }
        }
    }

    /// <summary>Sends one request with the jar's cookies; stores the answer's cookies; does not follow redirects.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { IsAbsoluteUri: false } relative)
        {
            request.RequestUri = new Uri(BaseAddress, relative);
        }

        var header = CookieHeaderFor(request.RequestUri!);
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", header);
        }

        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                Store(setCookie);
            }
        }

        return response;
    }

    /// <summary>An API call as the SPA makes it: same origin, cookie, and (by default) <c>X-CSRF: 1</c>.</summary>
    public Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, HttpContent? content = null, bool antiforgery = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (antiforgery)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        return SendAsync(request);
    }

    public Task<HttpResponseMessage> GetApiAsync(string path, bool antiforgery = true) => ApiAsync(HttpMethod.Get, path, null, antiforgery);

    /// <summary>Follows redirects from a GET, the way a browser navigates.</summary>
    public async Task<HttpResponseMessage> NavigateAsync(string url, int maxRedirects = 10)
    {
        var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));
        return await FollowAsync(response, maxRedirects);
    }

    /// <summary>Posts the first form of an HTML page (hidden fields plus <paramref name="fields"/>) and follows redirects.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(HttpResponseMessage page, IDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var html = await page.Content.ReadAsStringAsync();
        var form = FormRegex().Match(html);
        if (!form.Success)
        {
            throw new InvalidOperationException($"No form on the page {page.RequestMessage?.RequestUri} ({(int)page.StatusCode}).");
        }

        var action = WebUtility.HtmlDecode(form.Groups["action"].Value);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in HiddenInputRegex().Matches(form.Groups["body"].Value))
        {
            values[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        var target = new Uri(page.RequestMessage!.RequestUri!, action);
        var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(values) });
        return await FollowAsync(response, 10);
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response, int maxRedirects)
    {
        for (var i = 0; i < maxRedirects && (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location; i++)
        {
            var next = new Uri(response.RequestMessage!.RequestUri!, location);
            response.Dispose();
            response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, next));
        }

        return response;
    }

    private string CookieHeaderFor(Uri uri)
    {
        lock (gate)
        {
            return string.Join("; ", cookies
                .Where(c => uri.AbsolutePath.StartsWith(c.Key.Path, StringComparison.Ordinal))
                .Select(c => $"{c.Key.Name}={c.Value}"));
        }
    }

    private void Store(string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var pair = parts[0].Split('=', 2);
        if (pair.Length != 2)
        {
            return;
        }

        var path = "/";
        var expired = false;
        foreach (var attribute in parts.Skip(1))
        {
            var kv = attribute.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv[0].Equals("path", StringComparison.OrdinalIgnoreCase) && kv.Length == 2)
            {
                path = kv[1];
            }
            else if (kv[0].Equals("expires", StringComparison.OrdinalIgnoreCase) && kv.Length == 2 &&
                DateTimeOffset.TryParse(kv[1], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var expires) &&
                expires < DateTimeOffset.UtcNow)
            {
                expired = true;
            }
            else if (kv[0].Equals("max-age", StringComparison.OrdinalIgnoreCase) && kv.Length == 2 && int.TryParse(kv[1], out var maxAge) && maxAge <= 0)
            {
                expired = true;
            }
        }

        lock (gate)
        {
            if (expired || pair[1].Length == 0)
            {
                cookies.Remove((pair[0], path));
            }
            else
            {
                cookies[(pair[0], path)] = pair[1];
            }
        }
    }

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]*)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputRegex();
}
