using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>
/// The session cookie's format with a memory of what recent cookie values unprotect to. Unprotecting
/// the cookie (Data Protection: key lookup, key derivation, AES-CBC and HMAC) is a pure function of
/// the cookie's bytes and the key ring, and it was the largest cost of an authenticated request whose
/// session sits in the session store's memory: an active browser sends the same value with every
/// request until the cookie is renewed.
/// </summary>
/// <remarks>
/// <para>
/// Only cookies that hold nothing but a session key are kept (what the cookie handler writes when it
/// has a session store): the handler reads the key and replaces the ticket with the store's, so the
/// shared principal never reaches application code, and every request still finds its session in the
/// store (a deleted session ends at once). Values that fail to unprotect are never kept, so invalid
/// cookies cannot fill the memory; valid ones need a session each.
/// </para>
/// <para>
/// Important: an entry lives at most <see cref="EntryLifetime"/>, which bounds how long a cookie
/// stays readable after its Data Protection key was revoked. Bounded to <c>Bff:Session:CacheSize</c>
/// entries (random ones dropped beyond it); 0 turns it off with the session cache.
/// </para>
/// </remarks>
internal sealed class SessionCookieFormat(ISecureDataFormat<AuthenticationTicket> inner, int capacity, TimeProvider time) : ISecureDataFormat<AuthenticationTicket>
{
    /// <summary>The claim in which the cookie handler keeps the session key (ASP.NET Core's CookieAuthenticationHandler).</summary>
    internal const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    private static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How many cookie values are remembered, for tests.</summary>
    internal int Count => _entries.Count;

    /// <summary>
    /// When <paramref name="protectedText"/> is a value this format remembers (it unprotected to a
    /// session key and has not expired), until when it is remembered; else <see langword="null"/>.
    /// </summary>
    internal DateTimeOffset? RememberedUntil(string protectedText) =>
        capacity > 0 && _entries.TryGetValue(protectedText, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Expires : null;

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        // A purpose (TLS token binding) is part of what the value is checked against: not cached.
        if (capacity <= 0 || string.IsNullOrEmpty(protectedText) || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        var now = time.GetUtcNow();
        if (_entries.TryGetValue(protectedText, out var entry) && entry.Expires > now)
        {
            return Fresh(entry);
        }

        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is not null && SessionKeyOnly(ticket) is { } key)
        {
            if (_entries.Count >= capacity)
            {
                Trim(_entries, capacity, e => e.Expires <= now);
            }

            // A copy: the caller may change the properties of the ticket it gets.
            _entries[protectedText] = new Entry(key, ticket.AuthenticationScheme, ticket.Principal.Identity?.AuthenticationType, ticket.Properties.Clone(), now + EntryLifetime);
        }

        return ticket;
    }

    /// <summary>The session key when the ticket holds nothing else, as the cookie handler writes it with a session store.</summary>
    private static string? SessionKeyOnly(AuthenticationTicket ticket) =>
        ticket.Principal.Identities.Count() == 1 && ticket.Principal.Identities.First().Claims.ToList() is [{ Type: SessionIdClaim } claim]
            ? claim.Value
            : null;

    /// <summary>A ticket of its own for each request: a few small objects, no cryptography.</summary>
    private static AuthenticationTicket Fresh(Entry entry)
    {
        // The claim is made for its identity, which then keeps it as it is instead of copying it.
        var identity = new ClaimsIdentity(entry.IdentityType);
        identity.AddClaim(new Claim(SessionIdClaim, entry.SessionKey, ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));
        return new AuthenticationTicket(new ClaimsPrincipal(identity), entry.Properties.Clone(), entry.Scheme);
    }

    /// <summary>
    /// Drops the expired entries of a bounded memory, then random ones until a tenth of
    /// <paramref name="capacity"/> is free (this format's and <see cref="SessionCookieManager"/>'s).
    /// </summary>
    internal static void Trim<TKey, TEntry>(ConcurrentDictionary<TKey, TEntry> entries, int capacity, Func<TEntry, bool> expired)
        where TKey : notnull
    {
        foreach (var stale in entries.Where(e => expired(e.Value)))
        {
            entries.TryRemove(stale);
        }

        var excess = entries.Count - (capacity - Math.Max(1, capacity / 10));
        foreach (var victim in entries.Take(Math.Max(0, excess)))
        {
            entries.TryRemove(victim);
        }
    }

    private sealed record Entry(string SessionKey, string Scheme, string? IdentityType, AuthenticationProperties Properties, DateTimeOffset Expires);
}

/// <summary>
/// Wraps the BFF cookie scheme's ticket format in <see cref="SessionCookieFormat"/>. Registered after
/// <c>AddCookie</c>, so that ASP.NET Core's own post-configure step has created the format (with its
/// Data Protection purposes) first.
/// </summary>
internal sealed class ConfigureSessionCookieFormat(IOptions<SessionSettings> bffOptions, TimeProvider time) : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name != BffAuthenticationDefaults.CookieScheme || options.TicketDataFormat is not { } format || format is SessionCookieFormat)
        {
            return;
        }

        var capacity = bffOptions.Value.Session.CacheSize;
        var sessionFormat = new SessionCookieFormat(format, capacity, time);
        options.TicketDataFormat = sessionFormat;

        // Only ASP.NET Core's own manager, whose answer depends on the Cookie header alone; an app's
        // manager of its own is left as it is.
        if (options.CookieManager is ChunkingCookieManager chunking)
        {
            options.CookieManager = new SessionCookieManager(chunking, sessionFormat, capacity, time);
        }
    }
}
