using Bff.Testing.Http;

namespace Bff.Bench;

/// <summary>
/// The signed-in user of a bench row: the test suites' <see cref="BrowserClient"/> signs in once through
/// the DevIdp's login form, then its cookies are read out into fixed requests, so the load driver sends
/// them without a cookie jar (or anything else) in its path.
/// </summary>
internal sealed class BenchBrowser(Uri baseAddress) : IDisposable
{
    private readonly BrowserClient _browser = new(baseAddress);

    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>The Cookie header a browser sends with a request to <paramref name="path"/>.</summary>
    public string CookieHeaderFor(string path) => _browser.CookieHeaderFor(path);

    /// <summary>
    /// Signs a user in through <paramref name="loginPath"/> (the BFF's by default); throws when the
    /// login does not land back on the app's <c>/app</c>.
    /// </summary>
    public async Task SignInAsync(string userName, string password, string loginPath = "/bff/login?returnUrl=%2Fapp")
    {
        using var landed = await KeycloakLoginForm.SignInAsync(_browser, new Uri(BaseAddress, loginPath), userName, password);
        if (landed.RequestMessage!.RequestUri!.AbsolutePath != "/app")
        {
            throw new InvalidOperationException($"Sign-in of {userName} ended at {landed.RequestMessage.RequestUri} ({(int)landed.StatusCode}).");
        }
    }

    /// <summary>An API request as the SPA sends it: cookie plus <c>X-CSRF: 1</c>.</summary>
    public HttpRequestMessage ApiRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        request.Headers.TryAddWithoutValidation("Cookie", CookieHeaderFor(path));
        request.Headers.Add("X-CSRF", "1");
        return request;
    }

    /// <summary>The same GET as <see cref="ApiRequest"/>, for a load driver.</summary>
    public LoadRequest ApiLoad(string path) =>
        new(new Uri(BaseAddress, path), [new("Cookie", CookieHeaderFor(path)), new("X-CSRF", "1")]);

    public void Dispose() => _browser.Dispose();
}
