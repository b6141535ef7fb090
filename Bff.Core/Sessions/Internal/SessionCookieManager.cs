using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bff.Sessions.Internal;

/// <summary>
/// The session cookie's manager with a memory of which <c>Cookie</c> header carried which session
/// cookie value. Reading the cookie parses the whole header into the request's cookie collection (a
/// dictionary and a string for every cookie's name and value) on every request, while a browser
/// sends the same header with each call until a cookie changes, and Kestrel hands the same header
/// string to every request of a connection that sends it unchanged.
/// </summary>
/// <remarks>
/// <para>
/// What is remembered is ASP.NET Core's own answer (<see cref="ChunkingCookieManager"/>) for that exact
/// header text and cookie name, so the value is the one the parser would find, chunked or not. Only
/// answers that <see cref="SessionCookieFormat"/> remembers as a session cookie are kept, and each for
/// no longer than the format keeps it: a header with an unknown, forged or expired value is parsed every
/// time, so headers cannot fill the memory, and the cookie still goes through the format and the
/// session store on every request (a deleted session ends at once).
/// </para>
/// <para>
/// The request's cookie collection is used as it is once something has created it (it is parsed
/// already, or an app set its own), and a request with several <c>Cookie</c> headers is parsed.
/// Bounded to <c>Bff:Session:CacheSize</c> entries (random ones dropped beyond it); 0 turns it off.
/// A header longer than <see cref="MaxRememberedHeaderLength"/> is parsed every time: a signed-in
/// client could otherwise send its one valid cookie beside ever new filler cookies and make every
/// entry hold a header near Kestrel's 32 KB limit.
/// </para>
/// </remarks>
internal sealed class SessionCookieManager(ChunkingCookieManager inner, SessionCookieFormat format, int capacity, TimeProvider time) : ICookieManager
{
    /// <summary>
    /// The longest header remembered, in characters: a browser's session cookie with a few app
    /// cookies beside it fits many times over, and the memory stays within a few MB at the default size.
    /// </summary>
    internal const int MaxRememberedHeaderLength = 4096;

    private readonly ConcurrentDictionary<(string Header, string Name), Entry> _entries = new();

    /// <summary>How many headers are remembered, for tests.</summary>
    internal int Count => _entries.Count;

    public string? GetRequestCookie(HttpContext context, string key)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (capacity <= 0
            || context.Features.Get<IRequestCookiesFeature>() is not null
            || context.Request.Headers.Cookie is not { Count: 1 } cookies
            || cookies[0] is not { Length: > 0 and <= MaxRememberedHeaderLength } header)
        {
            return inner.GetRequestCookie(context, key);
        }

        var now = time.GetUtcNow();
        if (_entries.TryGetValue((header, key), out var entry) && entry.Expires > now)
        {
            return entry.Value;
        }

        var value = inner.GetRequestCookie(context, key);
        if (value is not null && format.RememberedUntil(value) is { } until)
        {
            if (_entries.Count >= capacity)
            {
                SessionCookieFormat.Trim(_entries, capacity, e => e.Expires <= now);
            }

            _entries[(header, key)] = new Entry(value, until);
        }

        return value;
    }

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        inner.AppendResponseCookie(context, key, value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options) =>
        inner.DeleteCookie(context, key, options);

    private sealed record Entry(string Value, DateTimeOffset Expires);
}
