using System.Net;
using System.Text.RegularExpressions;

namespace Bff.Tests.TestInfra;

/// <summary>
/// A browser-like client over real HTTP: keeps cookies, treats loopback http as a secure context the
/// way Chromium does (so Secure and <c>__Host-</c> cookies flow, as they do in a browser on
/// localhost, without weakening the app's cookies), follows redirects, and submits HTML forms
/// (the DevIdp login form and the form_post page that carries the code back).
/// </summary>
public sealed partial class BffBrowser : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    public CookieContainer Cookies { get; private set; } = new();

    /// <summary>Drops the cookies matching a predicate (a browser's "clear site data" for them).</summary>
    public void ForgetCookies(Func<Cookie, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var kept = new CookieContainer();
        foreach (var cookie in Cookies.GetAllCookies().Where(c => !predicate(c)))
        {
            kept.Add(cookie);
        }

        Cookies = kept;
    }

    /// <summary>Every Set-Cookie header received, in order, as sent (to check attributes).</summary>
    public List<string> SetCookieHeaders { get; } = [];

    /// <summary>The last response's final URL after redirects.</summary>
    public Uri? Location { get; private set; }

    public void Dispose() => _client.Dispose();

    /// <summary>The cookies the browser would send to a URL.</summary>
    public CookieCollection CookiesFor(Uri url) => Cookies.GetCookies(SecureView(url));

    public Task<BrowserPage> GetAsync(Uri url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public Task<BrowserPage> PostFormAsync(Uri url, IEnumerable<KeyValuePair<string, string>> fields) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });

    /// <summary>Sends one request and follows redirects (a 302/303 becomes a GET), up to 20 hops.</summary>
    public async Task<BrowserPage> SendAsync(HttpRequestMessage request, bool followRedirects = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var hop = 0; ; hop++)
        {
            var url = request.RequestUri!;
            var cookieHeader = Cookies.GetCookieHeader(SecureView(url));
            if (cookieHeader.Length > 0)
            {
                request.Headers.Remove("Cookie");
                request.Headers.Add("Cookie", cookieHeader);
            }

            using var response = await _client.SendAsync(request);
            request.Dispose();
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    SetCookieHeaders.Add(setCookie);
                    Cookies.SetCookies(SecureView(url), setCookie);
                }
            }

            var page = new BrowserPage(url, response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location, response.Content.Headers.ContentType?.MediaType);
            Location = url;
            if (!followRedirects || page.Redirect is null || hop >= 20)
            {
                return page;
            }

            request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, page.Redirect));
        }
    }

    /// <summary>Submits the first form of a page (or the one with <paramref name="formId"/>) with its hidden fields plus <paramref name="fields"/>.</summary>
    public Task<BrowserPage> SubmitFormAsync(BrowserPage page, IDictionary<string, string>? fields = null, string? formId = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = BrowserForm.Parse(page, formId) ?? throw new InvalidOperationException($"No form{(formId is null ? "" : " " + formId)} on {page.Url}: {page.Html[..Math.Min(page.Html.Length, 500)]}");
        var values = new Dictionary<string, string>(form.Fields);
        foreach (var (key, value) in fields ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }

        return PostFormAsync(form.Action, values);
    }

    /// <summary>
    /// Signs in through the whole flow: /bff/login, the DevIdp login form (unless an SSO session makes
    /// it silent), the form_post back to /signin-oidc, and the redirect to <paramref name="returnUrl"/>.
    /// </summary>
    public async Task<BrowserPage> SignInAsync(Uri bff, string userName, string password, string returnUrl = "/Profile")
    {
        var page = await GetAsync(new Uri(bff, "/bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        if (BrowserForm.Parse(page, "kc-form-login") is not null)
        {
            page = await SubmitFormAsync(page, new Dictionary<string, string> { ["username"] = userName, ["password"] = password }, "kc-form-login");
        }

        return await CompleteFormPostAsync(page);
    }

    /// <summary>Submits the identity provider's self-posting response form (response_mode=form_post), if the page is one.</summary>
    public async Task<BrowserPage> CompleteFormPostAsync(BrowserPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = BrowserForm.Parse(page, null);
        return form is not null && form.Fields.ContainsKey("state") ? await SubmitFormAsync(page) : page;
    }

    // Chromium treats http://localhost and http://127.0.0.1 as secure contexts; CookieContainer only
    // does so for https, so the jar is read and written through the https view of loopback URLs.
    private static Uri SecureView(Uri url) =>
        url.IsLoopback && url.Scheme == Uri.UriSchemeHttp ? new UriBuilder(url) { Scheme = Uri.UriSchemeHttps, Port = url.Port }.Uri : url;
}

/// <summary>One response as the browser saw it.</summary>
public sealed record BrowserPage(Uri Url, HttpStatusCode Status, string Html, Uri? Redirect, string? MediaType);

/// <summary>An HTML form's action and its named inputs (hidden fields included).</summary>
public sealed partial record BrowserForm(Uri Action, IReadOnlyDictionary<string, string> Fields)
{
    public static BrowserForm? Parse(BrowserPage page, string? formId)
    {
        ArgumentNullException.ThrowIfNull(page);
        foreach (Match form in FormRegex().Matches(page.Html))
        {
            var attributes = Attributes(form.Groups["attrs"].Value);
            if (formId is not null && attributes.GetValueOrDefault("id") != formId)
            {
                continue;
            }

            var fields = new Dictionary<string, string>();
            foreach (Match input in InputRegex().Matches(form.Groups["body"].Value))
            {
                var inputAttributes = Attributes(input.Groups["attrs"].Value);
                if (inputAttributes.TryGetValue("name", out var name) && inputAttributes.GetValueOrDefault("type") != "submit")
                {
                    fields[name] = inputAttributes.GetValueOrDefault("value") ?? "";
                }
            }

            var action = attributes.GetValueOrDefault("action");
            return new BrowserForm(string.IsNullOrEmpty(action) ? page.Url : new Uri(page.Url, action), fields);
        }

        return null;
    }

    private static Dictionary<string, string> Attributes(string html) =>
        AttributeRegex().Matches(html).ToDictionary(
            m => m.Groups["name"].Value.ToLowerInvariant(),
            m => WebUtility.HtmlDecode(m.Groups["dq"].Success ? m.Groups["dq"].Value : m.Groups["sq"].Value),
            StringComparer.Ordinal);

    [GeneratedRegex("<form(?<attrs>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input(?<attrs>[^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex InputRegex();

    [GeneratedRegex("""(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)')""")]
    private static partial Regex AttributeRegex();
}
