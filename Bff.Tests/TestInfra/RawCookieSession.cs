using Microsoft.AspNetCore.Builder;

namespace Bff.Tests.TestInfra;

/// <summary>
/// A user signed in through the browser flow whose session cookie a test then sends by hand: the
/// token rig, the signed-in browser (kept only for its cookie), and a client without a cookie jar
/// that sends exactly the Cookie header it is given, so that a test can replay a warm cookie, or a
/// tampered or cut one, and see each answer on its own.
/// </summary>
public sealed class RawCookieSession : IAsyncDisposable
{
    private readonly BrowserClient browser;
    private readonly HttpClient raw;

    private RawCookieSession(TokenTestRig rig, BrowserClient browser)
    {
        Rig = rig;
        this.browser = browser;
        raw = rig.Bff.CreateRawClient();
    }

    public TokenTestRig Rig { get; }

    /// <summary>Starts the rig (<paramref name="configure"/> changes the app) and signs <paramref name="userName"/> in.</summary>
    public static async Task<RawCookieSession> StartAsync(string userName = "alice", Action<WebApplicationBuilder>? configure = null)
    {
        var rig = await TokenTestRig.StartAsync(configure: configure);
        try
        {
            return new RawCookieSession(rig, await rig.SignInAsync(userName));
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>The Cookie header the signed-in browser would send to <paramref name="path"/>.</summary>
    public string CookieFor(string path) => browser.CookieHeaderFor(path);

    /// <summary>Sends <c>GET <paramref name="path"/></c> with exactly <paramref name="cookie"/> as its Cookie header, and the given headers.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string cookie, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await raw.SendAsync(request);
    }

    /// <summary>A cookie header (<c>name=value</c>) with one character of its value changed near the end.</summary>
    public static string Tampered(string cookie)
    {
        var (name, value) = Split(cookie);
        return name + "=" + value[..^5] + (value[^5] == 'A' ? 'B' : 'A') + value[^4..];
    }

    /// <summary>A cookie header (<c>name=value</c>) with only the first half of its value.</summary>
    public static string Truncated(string cookie)
    {
        var (name, value) = Split(cookie);
        return name + "=" + value[..(value.Length / 2)];
    }

    /// <summary>A cookie header (<c>name=value</c>) under the same name with another value.</summary>
    public static string WithValue(string cookie, string value) => Split(cookie).Name + "=" + value;

    public async ValueTask DisposeAsync()
    {
        raw.Dispose();
        browser.Dispose();
        await Rig.DisposeAsync();
    }

    private static (string Name, string Value) Split(string cookie)
    {
        var equals = cookie.IndexOf('=', StringComparison.Ordinal);
        return (cookie[..equals], cookie[(equals + 1)..]);
    }
}
