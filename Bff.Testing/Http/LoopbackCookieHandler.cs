using System.Collections.Concurrent;
using System.Net;

namespace Bff.Testing.Http;

/// <summary>
/// Keeps cookies like Chromium does on loopback: http://localhost, http://127.0.0.1 and http://[::1] are secure
/// contexts, so Secure cookies are stored and sent there. .NET's CookieContainer would drop them over http, and
/// the apps' cookies must not be weakened for tests. (Like CookieContainer, it ignores SameSite.)
/// </summary>
public sealed class LoopbackCookieHandler : DelegatingHandler
{
    /// <summary>Creates the handler over a socket handler that neither redirects nor keeps cookies itself.</summary>
    public LoopbackCookieHandler(CookieContainer cookies)
        : base(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Cookies = cookies;
    }

    /// <summary>The jar. Cookies of loopback hosts are filed under https, which is how they count as secure.</summary>
    public CookieContainer Cookies { get; }

    /// <summary>Every Set-Cookie header received, in order, as sent.</summary>
    public ConcurrentQueue<string> SetCookieHeaders { get; } = new();

    /// <summary>The URI under which the jar files cookies for <paramref name="uri"/>.</summary>
    public static Uri JarUri(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback
            ? new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri
            : uri;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var jarUri = JarUri(request.RequestUri!);
        var header = Cookies.GetCookieHeader(jarUri);
        request.Headers.Remove("Cookie");
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                SetCookieHeaders.Enqueue(setCookie);
                try
                {
                    Cookies.SetCookies(jarUri, setCookie);
                }
                catch (CookieException)
                {
                    // A browser ignores a cookie it cannot parse; so do we.
                }
            }
        }

        return response;
    }
}
