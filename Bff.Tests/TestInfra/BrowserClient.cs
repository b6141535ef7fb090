using System.Net;
using System.Net.Http.Headers;

namespace Bff.Tests.TestInfra;

/// <summary>
/// A browser-like HttpClient for integration tests: a cookie jar that treats loopback as secure (see
/// <see cref="LoopbackCookieHandler"/>), redirects followed or not per call, and form_post response pages
/// (an auto-submitting form of hidden inputs) submitted the way a browser's script would.
/// </summary>
public sealed class BrowserClient : IDisposable
{
    private const int MaxRedirects = 20;
    private readonly LoopbackCookieHandler _handler;

    /// <summary>Creates a browser with an empty cookie jar.</summary>
    public BrowserClient(Uri? baseAddress = null)
    {
        _handler = new LoopbackCookieHandler(new CookieContainer());
        Http = new HttpClient(_handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The underlying client: cookies kept, redirects never followed.</summary>
    public HttpClient Http { get; }

    /// <summary>The cookie jar (loopback cookies are filed under https; use <see cref="GetCookie"/>).</summary>
    public CookieContainer Cookies => _handler.Cookies;

    /// <summary>Whether a form_post response page is submitted when redirects are followed. Defaults to true.</summary>
    public bool AutoSubmitFormPost { get; set; } = true;

    /// <summary>Every request URI of the last navigation, redirects and form posts included, in order.</summary>
    public IReadOnlyList<Uri> LastNavigation { get; private set; } = [];

    /// <summary>Navigates to a URI (GET), following redirects unless told not to.</summary>
    public Task<HttpResponseMessage> GetAsync(string uri, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        GetAsync(new Uri(uri, UriKind.RelativeOrAbsolute), followRedirects, cancellationToken);

    /// <summary>Navigates to a URI (GET), following redirects unless told not to.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri uri, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), followRedirects, cancellationToken);

    /// <summary>Posts a form (application/x-www-form-urlencoded), following redirects unless told not to.</summary>
    public Task<HttpResponseMessage> PostFormAsync(
        Uri uri, IEnumerable<KeyValuePair<string, string>> fields, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(fields) }, followRedirects, cancellationToken);

    /// <summary>Submits a form read from a page, as a click on its submit button would.</summary>
    public Task<HttpResponseMessage> SubmitAsync(HtmlForm form, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        SendAsync(form.CreateRequest(), followRedirects, cancellationToken);

    /// <summary>Sends a request; with <paramref name="followRedirects"/>, follows 3xx and submits form_post pages.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool followRedirects = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var navigation = new List<Uri>();
        for (var hop = 0; ; hop++)
        {
            request.RequestUri = Resolve(request.RequestUri!);
            PrepareNavigation(request);
            navigation.Add(request.RequestUri);
            LastNavigation = navigation;
            var response = await Http.SendAsync(request, cancellationToken);
            if (!followRedirects || hop >= MaxRedirects)
            {
                return response;
            }

            var next = await NextRequestAsync(request, response, cancellationToken);
            if (next is null)
            {
                return response;
            }

            response.Dispose();
            request = next;
        }
    }

    /// <summary>The value of a cookie the jar would send to <paramref name="uri"/>, or null.</summary>
    public string? GetCookie(Uri uri, string name) =>
        Cookies.GetCookies(LoopbackCookieHandler.JarUri(Resolve(uri))).FirstOrDefault(c => c.Name == name)?.Value;

    /// <inheritdoc/>
    public void Dispose() => Http.Dispose();

    private Uri Resolve(Uri uri) =>
        uri.IsAbsoluteUri ? uri : new Uri(Http.BaseAddress ?? throw new InvalidOperationException("Relative URI without a BaseAddress."), uri);

    private static void PrepareNavigation(HttpRequestMessage request)
    {
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        }
    }

    private async Task<HttpRequestMessage?> NextRequestAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            if (status is 307 or 308 && request.Method != HttpMethod.Get)
            {
                var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
                var repeat = new HttpRequestMessage(request.Method, target);
                if (body is not null)
                {
                    repeat.Content = new ByteArrayContent(body);
                    repeat.Content.Headers.ContentType = request.Content!.Headers.ContentType;
                }

                return repeat;
            }

            return new HttpRequestMessage(HttpMethod.Get, target);
        }

        if (AutoSubmitFormPost && response.StatusCode == HttpStatusCode.OK
            && response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            if (html.Contains(".submit()", StringComparison.Ordinal))
            {
                var form = HtmlForm.ParseAll(html, request.RequestUri!).FirstOrDefault(f => f.Method == "POST" && f.HasOnlyHiddenInputs);
                if (form is not null)
                {
                    var post = form.CreateRequest();

                    // A browser's script-submitted form carries the page's origin.
                    post.Headers.TryAddWithoutValidation("Origin", request.RequestUri!.GetLeftPart(UriPartial.Authority));
                    return post;
                }
            }
        }

        return null;
    }
}
