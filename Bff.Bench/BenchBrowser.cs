using System.Net;
using System.Text.RegularExpressions;

namespace Bff.Bench;

/// <summary>
/// Just enough of a browser to sign in through the DevIdp's login form: a cookie jar that, like
/// Chromium, treats http loopback as a secure context (so the apps' Secure <c>__Host-</c> cookies
/// flow without weakening them), redirects followed by hand so every hop's Set-Cookie is kept, and
/// the hidden fields of the login form and the form_post page submitted.
/// </summary>
internal sealed partial class BenchBrowser : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };
    /// <summary>Name to value and path (the apps' and the DevIdp's cookies share the loopback host; paths keep them apart).</summary>
    private readonly Dictionary<string, (string Value, string Path)> _cookies = new(StringComparer.Ordinal);

    public BenchBrowser(Uri baseAddress) => BaseAddress = baseAddress;

    public Uri BaseAddress { get; }

    /// <summary>The Cookie header a browser sends with a request to <paramref name="path"/> (cookies whose path matches).</summary>
    public string CookieHeaderFor(string path) =>
        string.Join("; ", _cookies.Where(c => PathMatches(path, c.Value.Path)).Select(c => $"{c.Key}={c.Value.Value}"));

    /// <summary>
    /// Signs a user in through <paramref name="loginPath"/> (the BFF's by default); throws when the
    /// login does not land back on the app's <c>/app</c>.
    /// </summary>
    public async Task SignInAsync(string userName, string password, string loginPath = "/bff/login?returnUrl=%2Fapp")
    {
        var loginPage = await NavigateAsync(new Uri(BaseAddress, loginPath));
        var afterLogin = await SubmitFormAsync(loginPage, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["username"] = userName,
            ["password"] = password,
        });

        // response_mode=form_post: the IdP may answer a self-posting form to /signin-oidc.
        var landed = afterLogin.RequestMessage!.RequestUri!.AbsolutePath == "/app" ? afterLogin : await SubmitFormAsync(afterLogin, null);
        if (landed.RequestMessage!.RequestUri!.AbsolutePath != "/app")
        {
            throw new InvalidOperationException($"Sign-in of {userName} ended at {landed.RequestMessage.RequestUri} ({(int)landed.StatusCode}).");
        }
    }

    /// <summary>An API request as the SPA sends it: cookie plus <c>X-CSRF: 1</c>.</summary>
    public HttpRequestMessage ApiRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        request.Headers.TryAddWithoutValidation("Cookie", CookieHeaderFor(request.RequestUri!.AbsolutePath));
        request.Headers.Add("X-CSRF", "1");
        return request;
    }

    /// <summary>The same GET as <see cref="ApiRequest"/>, for a load driver.</summary>
    public LoadRequest ApiLoad(string path)
    {
        var uri = new Uri(BaseAddress, path);
        return new LoadRequest(uri, [new("Cookie", CookieHeaderFor(uri.AbsolutePath)), new("X-CSRF", "1")]);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var cookies = CookieHeaderFor(request.RequestUri!.AbsolutePath);
        if (cookies.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookies);
        }

        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                var pair = setCookie.Split(';', 2)[0].Split('=', 2);
                var expired = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (pair.Length == 2 && pair[1].Length > 0 && !expired)
                {
                    _cookies[pair[0]] = (pair[1], CookiePath(setCookie));
                }
                else if (pair.Length == 2)
                {
                    _cookies.Remove(pair[0]);
                }
            }
        }

        return response;
    }

    private async Task<HttpResponseMessage> NavigateAsync(Uri uri) =>
        await FollowAsync(await SendAsync(new HttpRequestMessage(HttpMethod.Get, uri)));

    private async Task<HttpResponseMessage> SubmitFormAsync(HttpResponseMessage page, Dictionary<string, string>? fields)
    {
        var html = await page.Content.ReadAsStringAsync();
        var form = FormRegex().Match(html);
        if (!form.Success)
        {
            throw new InvalidOperationException($"No form on {page.RequestMessage?.RequestUri} ({(int)page.StatusCode}).");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in HiddenInputRegex().Matches(form.Groups["body"].Value))
        {
            values[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (var (name, value) in fields ?? [])
        {
            values[name] = value;
        }

        var target = new Uri(page.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value));
        return await FollowAsync(await SendAsync(new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(values) }));
    }

    private async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response)
    {
        for (var hop = 0; hop < 10 && (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location; hop++)
        {
            var next = new Uri(response.RequestMessage!.RequestUri!, location);
            response.Dispose();
            response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, next));
        }

        return response;
    }

    private static string CookiePath(string setCookie) =>
        setCookie.Split(';').Select(a => a.Trim()).FirstOrDefault(a => a.StartsWith("path=", StringComparison.OrdinalIgnoreCase)) is { } path
            ? path["path=".Length..]
            : "/";

    private static bool PathMatches(string requestPath, string cookiePath) =>
        requestPath.StartsWith(cookiePath, StringComparison.Ordinal)
        && (cookiePath.EndsWith('/') || requestPath.Length == cookiePath.Length || requestPath[cookiePath.Length] == '/');

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]*)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputRegex();
}
