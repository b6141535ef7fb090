using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>
/// The cookie handler's <see cref="ITicketStore"/>: the cookie carries only a random session key
/// (inside the handler's own Data Protection envelope); the ticket lives in the
/// <see cref="IInternalSessionStore"/>, with the tokens taken out of it into <see cref="ServerSession.Tokens"/>.
/// </summary>
internal sealed class BffTicketStore(
    IInternalSessionStore store,
    IOptionsMonitor<SessionSettings> options,
    TimeProvider time,
    Sessions.Internal.SessionLifecycle lifecycle,
    ILogger<BffTicketStore> logger) : ITicketStore
{
    private const int MaxUserAgentLength = 512;

    private static readonly ConditionalWeakTable<byte[], ParsedTicket> ParsedTickets = [];

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreAsync(ticket, null!, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        // 256 bits from the OS CSPRNG: the key is a bearer credential for the session.
        var key = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var tokens = TakeTokens(ticket.Properties);
        await SaveNewAsync(key, ticket, tokens, httpContext?.Request.Headers.UserAgent.ToString(), httpContext?.Connection.RemoteIpAddress?.ToString(), cancellationToken).ConfigureAwait(false);
        lifecycle.SessionStarted();
        return key;
    }

    private async Task SaveNewAsync(string key, AuthenticationTicket ticket, SessionTokens? tokens, string? userAgent, string? ipAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.CurrentValue.Session;
        var expires = now + settings.AbsoluteLifetime;
        var idleExpires = ticket.Properties.ExpiresUtc ?? now + settings.IdleTimeout;
        if (idleExpires > expires)
        {
            idleExpires = expires;
            ticket.Properties.ExpiresUtc = expires;
        }

        var principal = ticket.Principal;
        var subjectClaim = principal.FindFirst("sub");
        var session = new ServerSession
        {
            Key = key,
            Subject = subjectClaim?.Value,
            SessionId = principal.FindFirst("sid")?.Value,
            Issuer = subjectClaim?.Issuer,
            Ticket = Serialize(ticket),
            Tokens = tokens,
            Created = now,
            LastSeen = now,
            Expires = expires,
            IdleExpires = idleExpires,
            UserAgent = Truncate(userAgent),
            IpAddress = ipAddress,
        };
        await store.SaveAsync(session, cancellationToken).ConfigureAwait(false);
        ticket.Properties.Items[BffSessionProperties.SessionKey] = key;
        logger.SessionCreated(session.Subject, expires);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        // A renewed ticket normally carries no tokens (they were taken out at sign-in), so this write
        // cannot put stale tokens back; the store keeps the session's current ones. A ticket WITH
        // tokens is a new sign-in on a request that had already authenticated the cookie (the
        // handler then reuses the key): it replaces the whole session, user and tokens included.
        var tokens = TakeTokens(ticket.Properties);
        if (tokens is not null)
        {
            var old = await store.GetAsync(key, includeTokens: false, cancellationToken).ConfigureAwait(false);
            await SaveNewAsync(key, ticket, tokens, old?.UserAgent, old?.IpAddress, cancellationToken).ConfigureAwait(false);
            return;
        }

        await store.RenewAsync(key, Serialize(ticket), time.GetUtcNow(), ticket.Properties.ExpiresUtc, cancellationToken).ConfigureAwait(false);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        // The ticket only: tokens are the token service's business, read when a call needs them.
        var session = await store.GetAsync(key, includeTokens: false, cancellationToken).ConfigureAwait(false);
        if (session is null || DeserializeOnce(session.Ticket) is not { } parsed)
        {
            logger.SessionNotFound();
            return null;
        }

        return parsed.CopyFor(key, session.Expires);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(key) ? Task.CompletedTask : store.DeleteAsync(key, cancellationToken);

    /// <summary>Moves the tokens the OIDC handler saved into the properties out of them.</summary>
    internal static SessionTokens? TakeTokens(AuthenticationProperties properties)
    {
        var accessToken = properties.GetTokenValue("access_token");
        var refreshToken = properties.GetTokenValue("refresh_token");
        var idToken = properties.GetTokenValue("id_token");
        var tokenType = properties.GetTokenValue("token_type");
        var expiresAt = properties.GetTokenValue("expires_at");
        properties.StoreTokens([]);
        if (accessToken is null)
        {
            return null;
        }

        var accessTokenExpiresAt = DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        return new SessionTokens(accessToken, accessTokenExpiresAt, refreshToken, idToken, tokenType ?? "Bearer");
    }

    private static byte[] Serialize(AuthenticationTicket ticket)
    {
        // The session key is a per-request convenience, not part of what is stored.
        ticket.Properties.Items.Remove(BffSessionProperties.SessionKey);
        return TicketSerializer.Default.Serialize(ticket);
    }

    /// <summary>
    /// The parsed form of the ticket <paramref name="data"/> holds. A store that caches hands back the
    /// same array for a session until it changes, so its parsed form is kept with the array (and dies
    /// with it): the claims are not parsed again, and each request gets a copy of it.
    /// </summary>
    private static ParsedTicket? DeserializeOnce(byte[] data)
    {
        if (ParsedTickets.TryGetValue(data, out var parsed))
        {
            return parsed;
        }

        return Deserialize(data) is { } ticket ? ParsedTickets.GetValue(data, _ => new ParsedTicket(ticket)) : null;
    }

    private static AuthenticationTicket? Deserialize(byte[] data)
    {
        try
        {
            return SharingTicketSerializer.Default.Deserialize(data);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static string? Truncate(string? value) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= MaxUserAgentLength ? value : value[..MaxUserAgentLength];
}

/// <summary>Points the BFF cookie scheme at <see cref="BffTicketStore"/>.</summary>
internal sealed class ConfigureSessionStore(BffTicketStore ticketStore) : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == BffAuthenticationDefaults.CookieScheme)
        {
            options.SessionStore = ticketStore;
        }
    }
}
