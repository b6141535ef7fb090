using System.Security.Claims;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bff.Tests.Sessions;

/// <summary>
/// The session cookie's manager remembers which Cookie header carried which session cookie value, so a
/// browser's unchanged header is not parsed on every request; what it answers is always what ASP.NET
/// Core's parser answers for that header. Real parts: ASP.NET Core's cookie manager and ticket format
/// over Data Protection (ephemeral keys).
/// </summary>
public sealed class SessionCookieManagerTests
{
    private const string Name = "__Host-bff";

    private readonly ManualClock _clock = new();
    private readonly SessionCookieFormat _format;
    private readonly SessionCookieManager _manager;

    public SessionCookieManagerTests()
    {
        _format = new SessionCookieFormat(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("cookie-test")), 100, _clock);
        _manager = new SessionCookieManager(new ChunkingCookieManager(), _format, 100, _clock);
    }

    [Fact]
    public void A_session_cookie_s_header_is_parsed_until_its_value_is_known_then_no_more()
    {
        var cookie = SignedInCookie("key-1");
        var header = $"theme=dark; {Name}={cookie}; other=1";

        // Not known to the format before the cookie handler unprotected it once.
        var (first, firstParsed) = Read(header);
        Assert.Equal(cookie, first);
        Assert.True(firstParsed);
        Assert.NotNull(_format.Unprotect(first));

        var (second, secondParsed) = Read(header);
        Assert.Equal(cookie, second);
        Assert.True(secondParsed);
        Assert.Equal(1, _manager.Count);

        var (third, thirdParsed) = Read(header);
        Assert.Equal(cookie, third);
        Assert.False(thirdParsed);
    }

    [Fact]
    public void A_value_that_is_no_session_cookie_is_parsed_every_time_and_not_remembered()
    {
        foreach (var value in new[] { "garbage", SignedInCookie("key-1")[..40] })
        {
            for (var i = 0; i < 3; i++)
            {
                var header = $"{Name}={value}";
                Assert.Null(_format.Unprotect(Read(header).Value));
                Assert.True(Read(header).Parsed);
            }
        }

        Assert.Equal(0, _manager.Count);
    }

    [Fact]
    public void Another_header_is_parsed_and_answers_its_own_value()
    {
        var first = Remembered("key-1", out var firstHeader);
        Remembered("key-2", out var secondHeader);

        Assert.Equal(first, Read(firstHeader).Value);
        var (value, parsed) = Read(secondHeader.Replace(Name + "=", "a=b; " + Name + "=", StringComparison.Ordinal));
        Assert.NotEqual(first, value);
        Assert.True(parsed);
        Assert.Equal(Read(secondHeader).Value, value);
    }

    [Fact]
    public void A_header_longer_than_the_bound_is_parsed_every_time_and_not_remembered()
    {
        var cookie = SignedInCookie("key-1");
        var filler = new string('x', SessionCookieManager.MaxRememberedHeaderLength);
        var header = $"filler={filler}; {Name}={cookie}";
        _format.Unprotect(Read(header).Value);

        for (var i = 0; i < 3; i++)
        {
            var (value, parsed) = Read(header);
            Assert.Equal(cookie, value);
            Assert.True(parsed);
        }

        Assert.Equal(0, _manager.Count);
    }

    [Fact]
    public void Cookies_the_request_already_has_are_used_as_they_are()
    {
        Remembered("key-1", out var header);
        var context = Request(header);
        context.Features.Set<IRequestCookiesFeature>(new RequestCookiesFeature(Request(Name + "=set-by-the-app").Request.Cookies));

        Assert.Equal("set-by-the-app", _manager.GetRequestCookie(context, Name));
    }

    [Fact]
    public void A_header_is_forgotten_when_its_value_is_and_every_header_is_parsed_when_off()
    {
        Remembered("key-1", out var header);
        Assert.False(Read(header).Parsed);

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.True(Read(header).Parsed);

        var off = new SessionCookieManager(new ChunkingCookieManager(), _format, 0, _clock);
        for (var i = 0; i < 3; i++)
        {
            var context = Request(header);
            off.GetRequestCookie(context, Name);
            Assert.NotNull(context.Features.Get<IRequestCookiesFeature>());
        }

        Assert.Equal(0, off.Count);
    }

    /// <summary>A cookie value that the format and the manager both remember, and the header that carries it.</summary>
    private string Remembered(string key, out string header)
    {
        var cookie = SignedInCookie(key);
        header = $"{Name}={cookie}";
        _format.Unprotect(Read(header).Value);
        Read(header);
        Assert.False(Read(header).Parsed);
        return cookie;
    }

    private string SignedInCookie(string key) => _format.Protect(new AuthenticationTicket(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(SessionCookieFormat.SessionIdClaim, key)], "Cookies")),
        new AuthenticationProperties { IssuedUtc = _clock.GetUtcNow() },
        "Cookies"));

    private (string? Value, bool Parsed) Read(string header)
    {
        var context = Request(header);
        var value = _manager.GetRequestCookie(context, Name);
        return (value, context.Features.Get<IRequestCookiesFeature>() is not null);
    }

    private static DefaultHttpContext Request(string header)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = header;
        return context;
    }
}
