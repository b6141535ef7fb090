using System.Security.Claims;
using Bff.Sessions.Internal;
using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace Bff.Tests.Sessions;

/// <summary>
/// The session cookie's format remembers what a cookie value unprotects to. The inner format is the
/// cookie handler's real one (TicketDataFormat over Data Protection, ephemeral keys); the wrapper
/// around it only counts how often it really unprotects.
/// </summary>
public sealed class SessionCookieFormatTests
{
    private readonly CountingFormat _inner = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("cookie-test")));
    private readonly ManualClock _clock = new();

    [Fact]
    public void A_session_cookie_is_unprotected_once_and_each_request_gets_its_own_ticket()
    {
        var format = new SessionCookieFormat(_inner, 100, _clock);
        var cookie = format.Protect(SessionCookie("key-1"));

        var first = format.Unprotect(cookie)!;
        first.Properties.Items["changed"] = "by the first request";
        var second = format.Unprotect(cookie)!;

        Assert.Equal(1, _inner.Unprotects);
        Assert.Equal("key-1", second.Principal.FindFirst(SessionCookieFormat.SessionIdClaim)!.Value);
        Assert.Equal("Cookies", second.AuthenticationScheme);
        Assert.True(second.Principal.Identity!.IsAuthenticated);
        Assert.False(second.Properties.Items.ContainsKey("changed"));
        Assert.NotSame(first.Principal, second.Principal);
    }

    [Fact]
    public void A_value_that_does_not_unprotect_is_refused_every_time_and_not_remembered()
    {
        var format = new SessionCookieFormat(_inner, 100, _clock);
        var cookie = format.Protect(SessionCookie("key-1"));
        var tampered = cookie[..^4] + (cookie[^4] == 'A' ? "B" : "A") + cookie[^3..];

        Assert.Null(format.Unprotect(tampered));
        Assert.Null(format.Unprotect(tampered));
        Assert.Equal(2, _inner.Unprotects);
        Assert.Equal(0, format.Count);
    }

    [Fact]
    public void A_ticket_that_holds_more_than_a_session_key_is_not_remembered()
    {
        var format = new SessionCookieFormat(_inner, 100, _clock);
        var identity = new ClaimsIdentity([new Claim(SessionCookieFormat.SessionIdClaim, "key-1"), new Claim("sub", "alice")], "Cookies");
        var cookie = format.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), "Cookies"));

        format.Unprotect(cookie);
        Assert.Equal("alice", format.Unprotect(cookie)!.Principal.FindFirst("sub")!.Value);
        Assert.Equal(2, _inner.Unprotects);
    }

    [Fact]
    public void An_entry_is_unprotected_again_after_its_lifetime_so_a_revoked_key_takes_effect()
    {
        var format = new SessionCookieFormat(_inner, 100, _clock);
        var cookie = format.Protect(SessionCookie("key-1"));
        format.Unprotect(cookie);

        _clock.Advance(TimeSpan.FromMinutes(4));
        format.Unprotect(cookie);
        Assert.Equal(1, _inner.Unprotects);

        _clock.Advance(TimeSpan.FromMinutes(2));
        format.Unprotect(cookie);
        Assert.Equal(2, _inner.Unprotects);
    }

    [Fact]
    public void The_memory_stays_within_its_capacity_and_a_capacity_of_zero_keeps_nothing()
    {
        var bounded = new SessionCookieFormat(_inner, 50, _clock);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal($"key-{i}", bounded.Unprotect(bounded.Protect(SessionCookie($"key-{i}")))!.Principal.FindFirst(SessionCookieFormat.SessionIdClaim)!.Value);
        }

        Assert.InRange(bounded.Count, 1, 50);

        var off = new SessionCookieFormat(_inner, 0, _clock);
        var cookie = off.Protect(SessionCookie("key-x"));
        var before = _inner.Unprotects;
        off.Unprotect(cookie);
        off.Unprotect(cookie);
        Assert.Equal(before + 2, _inner.Unprotects);
        Assert.Equal(0, off.Count);
    }

    /// <summary>What the cookie handler writes when it has a session store: the session key only.</summary>
    private static AuthenticationTicket SessionCookie(string key) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(SessionCookieFormat.SessionIdClaim, key)], "Cookies")), new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow }, "Cookies");

    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> real) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Unprotects { get; private set; }

        public string Protect(AuthenticationTicket data) => real.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => real.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Unprotects++;
            return real.Unprotect(protectedText, purpose);
        }
    }
}
