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
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public BenchBrowser(Uri baseAddress) => BaseAddress = baseAddress;

    public Uri BaseAddress { get; }

    /// <summary>The Cookie header for the BFF (all cookies sit at path / on one loopback host).</summary>
    public string CookieHeader => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

    /// <summary>Signs a user in; throws when the login does not land back on the BFF's <c>/app</c>.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        var loginPage = await NavigateAsync(new Uri(BaseAddress, "/bff/login?returnUrl=%2Fapp"));
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
        request.Headers.TryAddWithoutValidation("Cookie", CookieHeader);
        request.Headers.Add("X-CSRF", "1");
        return request;
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", CookieHeader);
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
                    _cookies[pair[0]] = pair[1];
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

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]*)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputRegex();
}
