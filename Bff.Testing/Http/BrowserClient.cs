using System.Net;
using System.Net.Http.Headers;

namespace Bff.Testing.Http;

/// <summary>
/// The browser of the integration tests, over real loopback HTTP: a cookie jar that treats loopback as secure
/// (see <see cref="LoopbackCookieHandler"/>; the BFF and the DevIdp on one host share it, as cookies ignore
/// ports), navigations that follow redirects and submit form_post response pages (an auto-submitting form of
/// hidden inputs) the way a browser's script would, the BFF's sign-in through the Keycloak-style login form,
/// and API calls as the SPA makes them. Safe for concurrent requests.
/// </summary>
public sealed class BrowserClient : IDisposable
{
    private const int MaxRedirects = 20;
    private readonly LoopbackCookieHandler _handler;
    private readonly HttpClient _http;

    /// <summary>Creates a browser with an empty cookie jar; relative URIs resolve against <paramref name="baseAddress"/>.</summary>
    public BrowserClient(Uri? baseAddress = null)
    {
        // Chromium keeps 180 cookies per domain (CookieContainer's default is 20, which would hide a
        // browser's Cookie header growing).
        _handler = new LoopbackCookieHandler(new CookieContainer(3000, 180, 4096));
        _http = new HttpClient(_handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Where relative URIs point (usually the BFF's root), or null.</summary>
    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>The cookie jar (loopback cookies are filed under https; use <see cref="CookiesFor"/> or <see cref="GetCookie(Uri, string)"/>).</summary>
    public CookieContainer Cookies => _handler.Cookies;

    /// <summary>Every Set-Cookie header received, in order, as sent (to check attributes the jar does not keep).</summary>
    public IReadOnlyCollection<string> SetCookieHeaders => _handler.SetCookieHeaders;

    /// <summary>Whether a form_post response page is submitted when redirects are followed. Defaults to true.</summary>
    public bool AutoSubmitFormPost { get; set; } = true;

    /// <summary>Navigates to a URI (GET), following redirects unless told not to.</summary>
    public Task<HttpResponseMessage> GetAsync(string uri, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        GetAsync(new Uri(uri, UriKind.RelativeOrAbsolute), followRedirects, cancellationToken);

    /// <summary>Navigates to a URI (GET), following redirects unless told not to.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri uri, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        SendAsync(Navigation(new HttpRequestMessage(HttpMethod.Get, uri)), followRedirects, cancellationToken);

    /// <summary>Posts a form (application/x-www-form-urlencoded), following redirects unless told not to.</summary>
    public Task<HttpResponseMessage> PostFormAsync(
        Uri uri, IEnumerable<KeyValuePair<string, string>> fields, bool followRedirects = true, CancellationToken cancellationToken = default) =>
        SendAsync(Navigation(new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(fields) }), followRedirects, cancellationToken);

    /// <summary>Submits a form read from a page, as a click on its submit button would, following redirects unless told not to.</summary>
    public Task<HttpResponseMessage> SubmitAsync(HtmlForm form, bool followRedirects = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        return SendAsync(Navigation(form.CreateRequest()), followRedirects, cancellationToken);
    }

    /// <summary>
    /// An API call as the SPA makes it: same origin, the cookie, <c>Accept: application/json</c> and (unless told
    /// otherwise) <c>X-CSRF: 1</c>; redirects are never followed, so a 302 where a 401 belongs shows.
    /// </summary>
    public Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, HttpContent? content = null, bool antiforgery = true, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.RelativeOrAbsolute)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (antiforgery)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        return SendAsync(request, followRedirects: false, cancellationToken);
    }

    /// <summary>A GET <see cref="ApiAsync"/> call.</summary>
    public Task<HttpResponseMessage> GetApiAsync(string path, bool antiforgery = true, CancellationToken cancellationToken = default) =>
        ApiAsync(HttpMethod.Get, path, null, antiforgery, cancellationToken);

    /// <summary>
    /// Signs in at the BFF through the whole flow: <c>/bff/login?returnUrl=</c>, the identity provider's login form
    /// (unless its SSO session signs the browser in silently), the form_post back to <c>/signin-oidc</c>, and the
    /// redirects after it. Returns where that ended: <paramref name="returnUrl"/>, or an error page.
    /// </summary>
    public Task<HttpResponseMessage> SignInAsync(Uri bff, string userName, string password, string returnUrl = "/Profile")
    {
        ArgumentNullException.ThrowIfNull(bff);
        return KeycloakLoginForm.SignInAsync(this, new Uri(bff, "/bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl)), userName, password);
    }

    /// <summary>
    /// A new browser signed in at the BFF through the whole flow (<see cref="SignInAsync"/>), whose relative URIs
    /// go to <paramref name="bff"/>; throws, naming where the flow ended, unless it came back to
    /// <paramref name="returnUrl"/> (a failed sign-in ends on the login form or an error page instead). The
    /// browser is the caller's to dispose.
    /// </summary>
    public static async Task<BrowserClient> SignedInAsync(Uri bff, string userName, string password, string returnUrl = "/Profile")
    {
        ArgumentNullException.ThrowIfNull(bff);
        var browser = new BrowserClient(bff);
        try
        {
            using var landed = await browser.SignInAsync(bff, userName, password, returnUrl);
            var at = landed.RequestMessage?.RequestUri;
            if (at?.AbsolutePath != new Uri(bff, returnUrl).AbsolutePath)
            {
                throw new InvalidOperationException($"Sign-in of {userName} ended at {at} ({(int)landed.StatusCode}), not at {returnUrl}.");
            }

            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a request as given, plus the jar's cookies; with <paramref name="followRedirects"/>, follows 3xx and
    /// submits form_post pages, each further hop a navigation.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool followRedirects = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var hop = 0; ; hop++)
        {
            request.RequestUri = Resolve(request.RequestUri!);
            var response = await _http.SendAsync(request, cancellationToken);
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
            request = Navigation(next);
        }
    }

    /// <summary>The cookies the jar would send to <paramref name="uri"/> (the jar's own objects: changing one changes the jar).</summary>
    public CookieCollection CookiesFor(Uri uri) => Cookies.GetCookies(LoopbackCookieHandler.JarUri(Resolve(uri)));

    /// <summary>
    /// The Cookie header this browser sends with a request to <paramref name="path"/> (relative to
    /// <see cref="BaseAddress"/>), for a request sent without the jar: a load generator's fixed request,
    /// or a test's tampered copy of the cookie.
    /// </summary>
    public string CookieHeaderFor(string path) =>
        Cookies.GetCookieHeader(LoopbackCookieHandler.JarUri(Resolve(new Uri(path, UriKind.RelativeOrAbsolute))));

    /// <summary>The value of a cookie the jar would send to <paramref name="uri"/>, or null.</summary>
    public string? GetCookie(Uri uri, string name) => CookiesFor(uri).FirstOrDefault(c => c.Name == name)?.Value;

    /// <summary>The value of a cookie the jar would send to <see cref="BaseAddress"/>, or null.</summary>
    public string? GetCookie(string name) =>
        GetCookie(BaseAddress ?? throw new InvalidOperationException("No BaseAddress to read cookies for."), name);

    /// <summary>Drops the cookies matching a predicate (a browser's "clear site data" for them).</summary>
    public void ForgetCookies(Func<Cookie, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        foreach (var cookie in Cookies.GetAllCookies().Where(predicate))
        {
            // The jar hands out its own objects; an expired cookie is removed and never sent again.
            cookie.Expired = true;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private Uri Resolve(Uri uri) =>
        uri.IsAbsoluteUri ? uri : new Uri(BaseAddress ?? throw new InvalidOperationException("Relative URI without a BaseAddress."), uri);

    // What a browser's address bar, link or form sends; requests given to SendAsync keep the headers they have.
    private static HttpRequestMessage Navigation(HttpRequestMessage request)
    {
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        }

        return request;
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
